"""A toolbox at the bottom: HTML → PDF, signing bytes, verifying bytes, QR codes.

It knows no meeting; features ask it and keep their own records.
"""
