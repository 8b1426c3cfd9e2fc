import Crypto
import Foundation

/// HubSpot's v3 webhook signature (docs/reference/hubspot.md): base64 of HMAC-SHA256 with the app's client secret
/// over method + URI + raw body + timestamp, the timestamp (epoch milliseconds) no older than five minutes.
public enum HubSpotWebhookSignature {
    public static let maxAge: TimeInterval = 300

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case missingHeaders, stale, mismatch

        public var description: String {
            switch self {
            case .missingHeaders: "X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp are required"
            case .stale: "the request timestamp is more than five minutes old"
            case .mismatch: "the signature does not match"
            }
        }
    }

    public static func sign(secret: String, method: String, uri: String, body: Data, timestamp: String) -> String {
        var source = Data((method + decode(uri)).utf8)
        source.append(body)
        source.append(Data(timestamp.utf8))
        let code = HMAC<SHA256>.authenticationCode(for: source, using: SymmetricKey(data: Data(secret.utf8)))
        return Data(code).base64EncodedString()
    }

    /// Checks a delivery; `uri` is the full URL HubSpot called, scheme, host and query included.
    public static func verify(
        secret: String, method: String, uri: String, body: Data, signature: String?, timestamp: String?,
        now: Date
    ) throws(Failure) {
        guard let signature, let timestamp, let millis = Double(timestamp) else { throw .missingHeaders }
        let age = now.timeIntervalSince1970 - millis / 1000
        guard age <= maxAge, age >= -maxAge else { throw .stale }
        let expected = sign(secret: secret, method: method, uri: uri, body: body, timestamp: timestamp)
        guard constantTimeEqual(Array(expected.utf8), Array(signature.utf8)) else { throw .mismatch }
    }

    /// The characters HubSpot's docs say to decode in the URI before signing.
    static func decode(_ uri: String) -> String {
        let codes = [
            "%3A": ":", "%2F": "/", "%3F": "?", "%40": "@", "%21": "!", "%24": "$", "%27": "'", "%28": "(",
            "%29": ")", "%2A": "*", "%2C": ",", "%3B": ";",
        ]
        var text = uri
        for (code, character) in codes {
            text = text.replacingOccurrences(of: code, with: character)
            text = text.replacingOccurrences(of: code.lowercased(), with: character)
        }
        return text
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
