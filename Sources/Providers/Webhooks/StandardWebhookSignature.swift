import Crypto
import Foundation

/// The Standard Webhooks signature (docs/reference/messaging.md §5.2): `v1,` and the base64 HMAC-SHA256 of
/// `"{webhook-id}.{webhook-timestamp}.{body}"`, keyed with the base64-decoded secret (its `whsec_` prefix
/// dropped). The header lists one signature per secret, separated by spaces, so a receiver can change over to
/// a rotated secret without losing a message.
public enum StandardWebhookSignature {
    /// Receivers reject a timestamp further than this from their clock (the reference libraries' tolerance).
    public static let tolerance: TimeInterval = 300

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case badSecret, missingHeaders, stale, mismatch

        public var description: String {
            switch self {
            case .badSecret: "the secret is not base64 (after its whsec_ prefix)"
            case .missingHeaders: "webhook-id, webhook-timestamp and webhook-signature are required"
            case .stale: "the webhook-timestamp is more than five minutes from now"
            case .mismatch: "no signature matches"
            }
        }
    }

    /// The secret's key bytes.
    static func key(_ secret: String) throws(Failure) -> SymmetricKey {
        let text = secret.hasPrefix("whsec_") ? String(secret.dropFirst("whsec_".count)) : secret
        guard let bytes = Data(base64Encoded: text), !bytes.isEmpty else { throw .badSecret }
        return SymmetricKey(data: bytes)
    }

    /// One signature, `v1,<base64>`.
    public static func sign(id: String, timestamp: Int, body: Data, secret: String) throws(Failure) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: content, using: try key(secret))
        return "v1," + Data(code).base64EncodedString()
    }

    /// The `webhook-signature` header: a signature for each secret, in order.
    public static func header(id: String, timestamp: Int, body: Data, secrets: [String]) throws(Failure) -> String {
        var signatures: [String] = []
        for secret in secrets { signatures.append(try sign(id: id, timestamp: timestamp, body: body, secret: secret)) }
        return signatures.joined(separator: " ")
    }

    /// Checks a delivery as a receiver does: the timestamp within the tolerance of `now`, and some `v1,` entry
    /// of the header matching the secret.
    public static func verify(
        id: String?, timestamp: String?, signature: String?, body: Data, secret: String, now: Date
    ) throws(Failure) {
        guard let id, let timestamp, let signature, let seconds = Int(timestamp) else { throw .missingHeaders }
        guard abs(now.timeIntervalSince1970 - TimeInterval(seconds)) <= tolerance else { throw .stale }
        let expected = Array(try sign(id: id, timestamp: seconds, body: body, secret: secret).utf8)
        let matches = signature.split(separator: " ").contains { ConstantTime.equal(Array($0.utf8), expected) }
        guard matches else { throw .mismatch }
    }
}
