import segno


def qr_svg_data_uri(text: str) -> str:
    """A QR code as an SVG data URI, so the PDF needs no file and no network."""
    return segno.make(text, error="m").svg_data_uri(scale=3, border=1)
