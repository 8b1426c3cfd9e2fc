import Crypto
import Foundation

/// Mailgun's webhook signature (docs/reference/messaging.md §2.3): the hex HMAC-SHA256, keyed with the HTTP
/// webhook signing key, of the timestamp followed by the token, both from the body's `signature` object.
/// Deliveries more than five minutes from now are refused and a token is accepted once (both inferred: the
/// reference recommends them without a figure).
public enum MailgunWebhookSignature {
    public static let maxAge: TimeInterval = 300

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case missingFields, stale, mismatch

        public var description: String {
            switch self {
            case .missingFields: "signature.timestamp, signature.token and signature.signature are required"
            case .stale: "the signature's timestamp is more than five minutes away from now"
            case .mismatch: "the signature does not match"
            }
        }
    }

    public static func sign(signingKey: String, timestamp: String, token: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Data((timestamp + token).utf8), using: SymmetricKey(data: Data(signingKey.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    public static func isValid(signingKey: String, timestamp: String, token: String, signature: String) -> Bool {
        let expected = sign(signingKey: signingKey, timestamp: timestamp, token: token)
        return ConstantTime.equal(Array(expected.utf8), Array(signature.lowercased().utf8))
    }

    /// Checks a delivery's `signature` object; the caller keeps the token to refuse it a second time.
    public static func verify(
        signingKey: String, timestamp: String?, token: String?, signature: String?, now: Date
    ) throws(Failure) {
        guard let timestamp, let token, let signature, !token.isEmpty else { throw .missingFields }
        guard let seconds = Double(timestamp), abs(now.timeIntervalSince1970 - seconds) <= maxAge else {
            throw .stale
        }
        guard isValid(signingKey: signingKey, timestamp: timestamp, token: token, signature: signature) else {
            throw .mismatch
        }
    }
}
