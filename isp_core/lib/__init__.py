# Pure-Python helpers of isp_core: no Odoo import, so they can be tested anywhere.
