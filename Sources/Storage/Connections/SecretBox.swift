import Crypto
import Foundation

/// Seals and opens secrets with AES-256-GCM under the master key (`LEADGEN_MASTER_KEY`), so provider
/// credentials at rest are useless without it. The sealed form is base64 of nonce, ciphertext and tag;
/// the workspace and provider are authenticated with it, so a sealed value moved to another row won't open.
public struct SecretBox: Sendable {
    /// The 32 key bytes; `SymmetricKey` is not Sendable, so it is made for each use.
    let keyBytes: Data
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public enum Failure: Error, CustomStringConvertible {
        case cannotOpen
        public var description: String {
            "a stored credential cannot be decrypted: LEADGEN_MASTER_KEY is not the key it was stored with"
        }
    }

    /// A key from any master key text: 32 bytes of base64 are used as they are; other text is hashed.
    public init(masterKey: String) {
        if let data = Data(base64Encoded: masterKey), data.count == 32 {
            keyBytes = data
        } else {
            keyBytes = Data(SHA256.hash(data: Data(masterKey.utf8)))
        }
    }

    public func seal(_ secret: String, context: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key, authenticating: Data(context.utf8))
        return box.combined!.base64EncodedString()
    }

    public func open(_ sealed: String, context: String) throws -> String {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
            let plain = try? AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
        else { throw Failure.cannotOpen }
        return String(decoding: plain, as: UTF8.self)
    }
}
