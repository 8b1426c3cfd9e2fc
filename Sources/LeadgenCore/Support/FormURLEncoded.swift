import Foundation

/// Reads `application/x-www-form-urlencoded` bodies as the WHATWG URL Standard (§5.1) does, so no input can
/// trap: empty pieces are skipped, a piece without `=` is a name with an empty value, `+` is a space, and a
/// `%` not followed by two hex digits stays as it is. Bytes that are not UTF-8 become U+FFFD.
public enum FormURLEncoded {
    /// The name–value pairs in order, repeated names kept.
    public static func parse(_ body: some Collection<UInt8>) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        for piece in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let equals = piece.firstIndex(of: UInt8(ascii: "=")) {
                pairs.append((decode(piece[..<equals]), decode(piece[piece.index(after: equals)...])))
            } else {
                pairs.append((decode(piece), ""))
            }
        }
        return pairs
    }

    /// The text of a form body.
    public static func parse(_ text: String) -> [(name: String, value: String)] {
        parse(Array(text.utf8))
    }

    /// Percent-decoding with `+` read as a space; malformed escapes are kept literally.
    static func decode(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"),
                case let first = bytes.index(after: index), first != bytes.endIndex,
                case let second = bytes.index(after: first), second != bytes.endIndex,
                let high = ASCIIBytes.hexValue(bytes[first]), let low = ASCIIBytes.hexValue(bytes[second])
            {
                out.append(high << 4 | low)
                index = second
            } else {
                out.append(byte)
            }
            index = bytes.index(after: index)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
