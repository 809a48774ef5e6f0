def post_init_hook(env):
    """Plans that existed before billing get their service product, carrying their price."""
    env["isp.service.plan"].with_context(active_test=False).search([("product_id", "=", False)])._create_service_products()
