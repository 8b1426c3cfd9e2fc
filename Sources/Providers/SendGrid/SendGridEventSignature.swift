import Crypto
import Foundation

/// SendGrid's signed Event Webhook (docs/reference/messaging.md §1.3): ECDSA over P-256 with SHA-256, the public
/// key given as base64 DER SubjectPublicKeyInfo, the signature (`X-Twilio-Email-Event-Webhook-Signature`) as
/// base64 DER `(r, s)`, over the timestamp header's text followed by the raw body bytes. SendGrid documents
/// no timestamp tolerance; deliveries older or newer than five minutes are refused (inferred).
public enum SendGridEventSignature {
    public static let signatureHeader = "X-Twilio-Email-Event-Webhook-Signature"
    public static let timestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp"
    public static let maxAge: TimeInterval = 300

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case missingHeaders, badPublicKey, stale, mismatch

        public var description: String {
            switch self {
            case .missingHeaders: "\(signatureHeader) and \(timestampHeader) are required"
            case .badPublicKey: "the webhook public key is not a base64 DER P-256 key"
            case .stale: "the event timestamp is more than five minutes away from now"
            case .mismatch: "the signature does not match"
            }
        }
    }

    /// Whether the signature is SendGrid's for these bytes, regardless of the time.
    public static func isValid(publicKey: String, signature: String, timestamp: String, body: Data) throws(Failure)
        -> Bool
    {
        guard let keyData = Data(base64Encoded: publicKey),
            let key = try? P256.Signing.PublicKey(derRepresentation: keyData)
        else { throw .badPublicKey }
        guard let signatureData = Data(base64Encoded: signature),
            let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signatureData)
        else { return false }
        var signed = Data(timestamp.utf8)
        signed.append(body)
        return key.isValidSignature(parsed, for: signed)
    }

    /// Checks a delivery: headers present, timestamp within five minutes of `now`, signature valid.
    public static func verify(
        publicKey: String, signature: String?, timestamp: String?, body: Data, now: Date
    ) throws(Failure) {
        guard let signature, let timestamp else { throw .missingHeaders }
        guard let seconds = Double(timestamp), abs(now.timeIntervalSince1970 - seconds) <= maxAge else {
            throw .stale
        }
        guard try isValid(publicKey: publicKey, signature: signature, timestamp: timestamp, body: body) else {
            throw .mismatch
        }
    }
}
