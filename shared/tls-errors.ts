/**
 * The `code` of Node's errors for a server certificate that does not verify
 * (OpenSSL's names, and Node's own for a certificate issued for another name).
 * Only these are what `ignoreTlsErrors` gets past; a handshake that fails
 * for any other reason still fails.
 */
const CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REJECTED',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/** An error's message, naming the setting that crawls past it when it is a certificate's. */
export function withCertificateHint(message: string, code: string | undefined): string {
  return code !== undefined && CERTIFICATE_CODES.has(code)
    ? `${message} (ignoreTlsErrors)`
    : message;
}
