import Crypto
import Foundation

/// The opaque part of a one-click unsubscribe link (`/u/{token}`, RFC 8058): the workspace and the address,
/// signed with HMAC-SHA256 under a key only the server has, so a link cannot be forged for another address.
/// base64url(payload) "." base64url(signature).
public struct UnsubscribeToken: Sendable, Equatable {
    public var workspaceID: String
    public var email: String

    public init(workspaceID: String, email: String) {
        self.workspaceID = workspaceID
        self.email = email.lowercased()
    }

    /// The signing key, derived from the server's master key for this one purpose.
    public static func key(masterKey: String) -> SymmetricKey {
        SymmetricKey(
            data: HMAC<SHA256>.authenticationCode(
                for: Data("leadgen-unsubscribe-v1".utf8), using: SymmetricKey(data: Data(masterKey.utf8))))
    }

    public func token(key: SymmetricKey) -> String {
        let payload = Data("\(workspaceID)\n\(email)".utf8)
        let signature = Data(HMAC<SHA256>.authenticationCode(for: payload, using: key))
        return Self.base64URL(payload) + "." + Self.base64URL(signature)
    }

    /// Reads a token; nil when it is malformed or its signature is not ours.
    public init?(token: String, key: SymmetricKey) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.data(String(parts[0])), let signature = Self.data(String(parts[1])),
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: payload, using: key)
        else { return nil }
        let fields = String(decoding: payload, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard fields.count == 2, !fields[0].isEmpty, fields[1].contains("@") else { return nil }
        self.init(workspaceID: String(fields[0]), email: String(fields[1]))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
