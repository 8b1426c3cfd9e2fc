import Crypto
import Foundation

/// Random tokens and digests for keys, sessions and record fingerprints.
enum Secrets {
    /// `bytes` random bytes from the system's secure generator, as lower-case hex.
    static func randomHex(bytes: Int) -> String {
        hex(randomBytes(bytes))
    }

    /// `count` random bytes from the system's secure generator.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The SHA-256 digest of the text, as lower-case hex.
    static func sha256Hex(_ text: String) -> String {
        hex(Array(SHA256.hash(data: Data(text.utf8))))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
