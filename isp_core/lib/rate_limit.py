"""MikroTik rate-limit strings."""


def format_rate_limit(download_mbps, upload_mbps):
    """Return the MikroTik ``rate-limit`` for a plan, e.g. ``5M/20M`` for 20 down / 5 up.

    MikroTik reads it from the client's side: upload (rx) first, then download (tx).
    Returns an empty string when either speed is not positive.
    """
    if not download_mbps or not upload_mbps or download_mbps <= 0 or upload_mbps <= 0:
        return ""
    return f"{_format_mbps(upload_mbps)}/{_format_mbps(download_mbps)}"


def _format_mbps(mbps):
    # RouterOS takes integers with a unit suffix, so fractional Mbit/s become kbit/s.
    if float(mbps).is_integer():
        return f"{int(mbps)}M"
    return f"{int(round(mbps * 1000))}k"
