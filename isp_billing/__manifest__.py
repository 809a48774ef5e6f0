{
    "name": "ISP Billing",
    "summary": "Recurring invoices for ISP subscriptions, collections, and suspension for non-payment",
    "version": "19.0.1.0.0",
    "category": "Services",
    "license": "LGPL-3",
    "author": "isp_core contributors",
    "depends": ["isp_core", "account", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/isp_service_plan_views.xml",
        "views/isp_subscription_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "post_init_hook": "post_init_hook",
    "installable": True,
}
