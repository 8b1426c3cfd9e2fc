import Crypto
import Foundation

/// `X-Twilio-Signature` (docs/reference/messaging.md §3.4): base64 HMAC-SHA1, keyed with the account's auth
/// token, of the full URL Twilio called followed, for a form POST, by every parameter's name and value in
/// sorted order. As Twilio's own validator does, the URL is accepted with and without its default port; a
/// JSON body is signed through the URL's `bodySHA256` parameter, the hex SHA-256 of the raw body.
public enum TwilioSignature {
    public static let header = "X-Twilio-Signature"

    public static func sign(authToken: String, url: String, parameters: [(String, String)]) -> String {
        var text = url
        let sorted = parameters.sorted {
            $0.0 == $1.0
                ? Array($0.1.utf8).lexicographicallyPrecedes(Array($1.1.utf8))
                : Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8))
        }
        for (name, value) in sorted { text += name + value }
        let code = HMAC<Insecure.SHA1>.authenticationCode(
            for: Data(text.utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return Data(code).base64EncodedString()
    }

    /// Whether the signature is Twilio's for a form-encoded request to `url` with these parameters.
    public static func isValid(authToken: String, url: String, parameters: [(String, String)], signature: String)
        -> Bool
    {
        urlVariants(url).contains { variant in
            ConstantTime.equal(
                Array(sign(authToken: authToken, url: variant, parameters: parameters).utf8), Array(signature.utf8))
        }
    }

    /// Whether the signature is Twilio's for a JSON request: the URL (with its `bodySHA256`) signed with no
    /// parameters, and that hash the body's.
    public static func isValid(authToken: String, url: String, jsonBody: Data, signature: String) -> Bool {
        guard let components = URLComponents(string: url),
            let hash = components.queryItems?.first(where: { $0.name == "bodySHA256" })?.value,
            ConstantTime.equal(Array(SHA256.hash(data: jsonBody).hexString.utf8), Array(hash.lowercased().utf8))
        else { return false }
        return isValid(authToken: authToken, url: url, parameters: [], signature: signature)
    }

    /// The URL as given, with its default port added, and with it removed.
    static func urlVariants(_ url: String) -> [String] {
        guard var components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            return [url]
        }
        let defaultPort = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
        var variants = [url]
        if components.port == nil, let defaultPort {
            components.port = defaultPort
            if let with = components.string { variants.append(with) }
        } else if components.port == defaultPort {
            components.port = nil
            if let without = components.string { variants.append(without) }
        }
        return variants
    }
}

extension SHA256.Digest {
    var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
