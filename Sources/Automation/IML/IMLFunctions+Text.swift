import Crypto
import Foundation
import LeadgenCore

extension IMLFunctions {
    /// Make's text functions (length, lower, replace, sha256…); nil for another name.
    static func textFunction(_ name: String, _ v: [JSON]) throws(IMLEvaluationError) -> JSON? {
        func text(_ i: Int) -> String { Self.text(v, i) }
        switch name {
        case "length":
            try count(name, v, 1...1)
            switch v[0] {
            case .array(let items): return .int(items.count)
            case .object(let fields): return .int(fields.count)
            case .null: return .int(0)
            default: return .int(text(0).count)
            }
        case "lower": return .string(text(0).lowercased())
        case "upper": return .string(text(0).uppercased())
        case "capitalize":
            let t = text(0)
            return .string(t.prefix(1).uppercased() + t.dropFirst())
        case "startcase":
            return .string(
                text(0).split(separator: " ", omittingEmptySubsequences: false).map {
                    $0.prefix(1).uppercased() + $0.dropFirst().lowercased()
                }.joined(separator: " "))
        case "trim": return .string(text(0).trimmingCharacters(in: .whitespacesAndNewlines))
        case "replace":
            try count(name, v, 3...3)
            return .string(try replace(text(0), text(1), text(2)))
        case "substring":
            try count(name, v, 2...3)
            let chars = Array(text(0))
            let start = try integer(name, v[1], in: 0...chars.count)
            let end = v.count > 2 ? try integer(name, v[2], in: start...chars.count) : chars.count
            return .string(String(chars[start..<end]))
        case "indexOf":
            try count(name, v, 2...3)
            let chars = Array(text(0))
            let needle = Array(text(1))
            let from = v.count > 2 ? try integer(name, v[2], in: 0...chars.count + 1) : 0
            guard !needle.isEmpty else { return .int(from <= chars.count ? from : -1) }
            var i = from
            while i + needle.count <= chars.count {
                if Array(chars[i..<(i + needle.count)]) == needle { return .int(i) }
                i += 1
            }
            return .int(-1)
        case "split":
            try count(name, v, 2...2)
            let separator = text(1)
            guard !separator.isEmpty else { return .array(text(0).map { .string(String($0)) }) }
            return .array(text(0).components(separatedBy: separator).map { .string($0) })
        case "contains":
            try count(name, v, 2...2)
            if case .array(let items) = v[0] { return .bool(items.contains { Values.equal($0, v[1]) }) }
            return .bool(text(0).contains(text(1)))
        case "toString": return .string(text(0))
        case "base64": return .string(Data(text(0).utf8).base64EncodedString())
        case "md5": return .string(hex(Insecure.MD5.hash(data: Data(text(0).utf8))))
        case "sha1", "sha256", "sha512":
            try count(name, v, 1...4)
            let data = Data(text(0).utf8)
            let encoding = v.count > 1 ? text(1).lowercased() : "hex"
            let bytes: [UInt8]
            if v.count > 2, !text(2).isEmpty {
                let key = SymmetricKey(data: Data(text(2).utf8))
                switch name {
                case "sha1": bytes = Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: key))
                case "sha256": bytes = Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
                default: bytes = Array(HMAC<SHA512>.authenticationCode(for: data, using: key))
                }
            } else {
                switch name {
                case "sha1": bytes = Array(Insecure.SHA1.hash(data: data))
                case "sha256": bytes = Array(SHA256.hash(data: data))
                default: bytes = Array(SHA512.hash(data: data))
                }
            }
            return .string(encoding == "base64" ? Data(bytes).base64EncodedString() : hex(bytes))
        case "encodeURL":
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-_.!~*'()")
            return .string(text(0).addingPercentEncoding(withAllowedCharacters: allowed) ?? text(0))
        case "decodeURL": return .string(text(0).removingPercentEncoding ?? text(0))
        case "escapeHTML":
            return .string(
                text(0).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;"))
        case "stripHTML":
            return .string(text(0).replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression))
        case "escapeMarkdown":
            var out = ""
            for c in text(0) {
                if "\\`*_{}[]()#+-.!|>~".contains(c) { out.append("\\") }
                out.append(c)
            }
            return .string(out)
        case "ascii":
            let folded =
                v.count > 1 && Values.truthy(v[1])
                ? text(0).folding(options: .diacriticInsensitive, locale: nil) : text(0)
            return .string(String(folded.unicodeScalars.filter(\.isASCII).map(Character.init)))
        default: return nil
        }
    }

    /// `replace` with a literal or a `/regex/flags` search; the replacement understands `$&` and `$1`.
    static func replace(_ text: String, _ search: String, _ replacement: String) throws(IMLEvaluationError) -> String {
        if search.hasPrefix("/"), let close = search.lastIndex(of: "/"), close != search.startIndex {
            let pattern = String(search[search.index(after: search.startIndex)..<close])
            let flags = search[search.index(after: close)...]
            let template = replacement.replacingOccurrences(of: "$&", with: "$0")
            do {
                let regex = try BoundedRegex(
                    pattern, caseInsensitive: flags.contains("i"), multiline: flags.contains("m"))
                return try regex.replacing(in: text, with: template, all: flags.contains("g"))
            } catch {
                throw IMLEvaluationError(message: "replace: \(error.description)")
            }
        }
        guard !search.isEmpty else { return text }
        return text.replacingOccurrences(of: search, with: replacement)
    }

    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
