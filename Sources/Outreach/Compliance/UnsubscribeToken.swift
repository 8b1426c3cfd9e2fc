import Crypto
import Foundation

/// The opaque part of a one-click unsubscribe link (`/u/{token}`, RFC 8058): the workspace and the address,
/// sealed with ChaCha20-Poly1305 under a key only the server has, so a link can be neither read (who it is
/// for) nor forged for another address: "v2." base64url(nonce, ciphertext, tag). Links sent before, signed
/// but readable (base64url(payload) "." base64url(HMAC-SHA256)), are still honoured.
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

    /// The key that seals version 2 tokens, derived from `key` for this one purpose.
    static func sealingKey(_ key: SymmetricKey) -> SymmetricKey {
        SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data("leadgen-unsubscribe-seal-v2".utf8), using: key))
    }

    public func token(key: SymmetricKey) -> String {
        let payload = Data("\(workspaceID)\n\(email)".utf8)
        // Sealing only fails for a key of the wrong size, which a derived 256-bit key never is.
        guard let sealed = try? ChaChaPoly.seal(payload, using: Self.sealingKey(key)).combined else { return "" }
        return "v2." + Self.base64URL(sealed)
    }

    /// Reads a token; nil when it is malformed, or was not sealed or signed with our key.
    public init?(token: String, key: SymmetricKey) {
        if token.hasPrefix("v2.") {
            guard token.utf8.count <= 1024, let sealed = Self.data(String(token.dropFirst(3))),
                let box = try? ChaChaPoly.SealedBox(combined: sealed),
                let payload = try? ChaChaPoly.open(box, using: Self.sealingKey(key))
            else { return nil }
            self.init(payload: payload)
            return
        }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.data(String(parts[0])), let signature = Self.data(String(parts[1])),
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: payload, using: key)
        else { return nil }
        self.init(payload: payload)
    }

    private init?(payload: Data) {
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
