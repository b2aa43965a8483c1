"""PAdES signatures with pyHanko, and the deployment's signing certificate.

The certificate and key come from ``SIGNING_CERT`` / ``SIGNING_KEY`` (PEM files). Without them a
self-signed demo certificate is generated into the instance folder on first use: enough to show
that a PDF was changed, not a substitute for a certificate from a CA the district trusts.
"""
import datetime
import functools
import io
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


@dataclass(frozen=True)
class SigningIdentity:
    cert_path: Path
    key_path: Path


def ensure_demo_identity(folder: Path,
                         common_name: str = "三方联动议事台 演示签章") -> SigningIdentity:
    """Create a self-signed certificate in ``folder`` unless one is there."""
    cert_path, key_path = folder / "signing-cert.pem", folder / "signing-key.pem"
    if cert_path.exists() and key_path.exists():
        return SigningIdentity(cert_path, key_path)
    folder.mkdir(parents=True, exist_ok=True)
    # ECDSA P-256: pyHanko re-parses the key on every signature, and an RSA key's consistency
    # check makes each signature noticeably slower.
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    # Write the key first with owner-only permissions; the certificate's presence marks success.
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return SigningIdentity(cert_path, key_path)


@functools.lru_cache(maxsize=4)
def _signer(key_path: str, cert_path: str, _mtime: float) -> signers.SimpleSigner:
    """Parsing the key costs more than signing; keep it per process (until the file changes)."""
    return signers.SimpleSigner.load(key_path, cert_path)


def sign_pdf(pdf: bytes, identity: SigningIdentity, *, reason: str = "",
             location: str = "") -> bytes:
    """Add a PAdES baseline signature to ``pdf`` (an incremental update)."""
    signer = _signer(str(identity.key_path), str(identity.cert_path),
                     identity.key_path.stat().st_mtime)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="MinutesSignature", md_algorithm="sha256",
                                        subfilter=SigSeedSubFilter.PADES, reason=reason or None,
                                        location=location or None)
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    valid: bool
    reason: str          # "ok", "unsigned", "unreadable", "modified", "untrusted"
    signed_at: datetime.datetime | None = None


def verify_pdf(pdf: bytes, trusted_cert: Path) -> SignatureCheck:
    """Check that ``pdf`` carries an intact signature by ``trusted_cert`` over the whole file."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any parse failure means "not a valid minutes PDF"
        return SignatureCheck(False, "unreadable")
    if not signatures:
        return SignatureCheck(False, "unsigned")
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(trusted_cert))])
    try:
        status = validate_pdf_signature(signatures[-1], context)
    except Exception:  # noqa: BLE001 - a damaged signature structure is an invalid signature
        return SignatureCheck(False, "modified")
    if not status.intact or not status.valid:
        return SignatureCheck(False, "modified")
    if not status.trusted:
        return SignatureCheck(False, "untrusted")
    # Bytes appended after the signature would not be covered by it.
    if status.coverage.name not in ("ENTIRE_FILE",):
        return SignatureCheck(False, "modified")
    return SignatureCheck(True, "ok", status.signer_reported_dt)


def check_identity(identity: SigningIdentity) -> str:
    """What is wrong with a deployment's certificate and key ('' when nothing is)."""
    for kind, path in (("certificate", identity.cert_path), ("key", identity.key_path)):
        if not path.is_file():
            return f"the signing {kind} {path} does not exist"
    try:
        cert = x509.load_pem_x509_certificate(identity.cert_path.read_bytes())
        key = serialization.load_pem_private_key(identity.key_path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as error:
        return f"the signing certificate or key cannot be read ({error})"
    if cert.public_key().public_numbers() != key.public_key().public_numbers():
        return "the signing key does not belong to the signing certificate"
    return ""
