"""A router's key digest was ``agent_key_digest`` in 19.0.1.2.0; it became ``key_digest`` when
every router, in agent mode or not, got a key to sign its lease reports. The column and its index
are renamed before the update, so every router's key keeps working: without this, Odoo would add
an empty ``key_digest`` and drop the old column, and every keyed router would be refused."""


def migrate(cr, version):
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'isp_router' AND column_name IN ('agent_key_digest', 'key_digest')
        """
    )
    columns = {name for (name,) in cr.fetchall()}
    if columns != {"agent_key_digest"}:
        return
    cr.execute("ALTER TABLE isp_router RENAME COLUMN agent_key_digest TO key_digest")
    cr.execute("ALTER INDEX IF EXISTS isp_router__agent_key_digest_index RENAME TO isp_router__key_digest_index")
