import Crypto
import Foundation
import Outreach
import Testing

/// Unsubscribe tokens say nothing to whoever reads them, cannot be forged or altered, and the links sent
/// before they were sealed still work.
@Suite struct UnsubscribeTokenTests {
    let key = UnsubscribeToken.key(masterKey: "master key for tests")

    @Test func aTokenIsOpaqueAndReadsBack() throws {
        let original = UnsubscribeToken(workspaceID: "ws-0195c3", email: "Ada@Prospect.example")
        let token = original.token(key: key)
        #expect(token.hasPrefix("v2."))
        let bytes = try #require(Data(base64Encoded: Self.padded(String(token.dropFirst(3)))))
        let readable = String(decoding: bytes, as: UTF8.self)
        #expect(!readable.contains("ada@prospect.example") && !readable.contains("ws-0195c3"))
        #expect(!token.contains("ws-0195c3"))
        #expect(UnsubscribeToken(token: token, key: key) == original)
        #expect(original.token(key: key) != token, "a fresh nonce each time")
    }

    @Test func anAlteredOrForeignTokenIsRefused() {
        let token = UnsubscribeToken(workspaceID: "ws-1", email: "bob@prospect.example").token(key: key)
        var altered = Array(token)
        altered[10] = altered[10] == "A" ? "B" : "A"
        #expect(UnsubscribeToken(token: String(altered), key: key) == nil)
        #expect(UnsubscribeToken(token: token, key: UnsubscribeToken.key(masterKey: "another")) == nil)
        #expect(UnsubscribeToken(token: "v2.", key: key) == nil)
        #expect(UnsubscribeToken(token: "v2." + String(repeating: "A", count: 5000), key: key) == nil)
    }

    @Test func linksSentBeforeTheSealStillWork() {
        let payload = Data("ws-1\ncarol@prospect.example".utf8)
        let signature = Data(HMAC<SHA256>.authenticationCode(for: payload, using: key))
        let legacy = Self.base64URL(payload) + "." + Self.base64URL(signature)
        #expect(
            UnsubscribeToken(token: legacy, key: key)
                == UnsubscribeToken(workspaceID: "ws-1", email: "carol@prospect.example"))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func padded(_ text: String) -> String {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return base64
    }
}
