import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address, as the outbound URL policy judges it.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(UInt32)
    /// Sixteen bytes, network order.
    case v6([UInt8])

    /// A literal address: dotted IPv4 ("127.0.0.1") or IPv6 ("::1", with or without brackets). The other
    /// IPv4 spellings URLs allow are read by `IPv4Host`.
    public init?(_ text: String) {
        var literal = text
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        if let zone = literal.firstIndex(of: "%") { literal = String(literal[..<zone]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            self = .v4(UInt32(bigEndian: v4.s_addr))
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, literal, &v6) == 1 else { return nil }
        self = .v6(withUnsafeBytes(of: &v6) { Array($0) })
    }

    public var description: String {
        switch self {
        case .v4(let value):
            return [24, 16, 8, 0].map { String((value >> $0) & 0xFF) }.joined(separator: ".")
        case .v6(let bytes):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { raw in
                for (index, byte) in bytes.prefix(16).enumerated() { raw[index] = byte }
            }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address.
    public var embeddedIPv4: IPAddress? {
        guard case .v6(let bytes) = self, bytes.count == 16 else { return nil }
        let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        let nat64 = bytes[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]
        guard mapped || nat64 else { return nil }
        return .v4(bytes[12..<16].reduce(0) { $0 << 8 | UInt32($1) })
    }
}

/// Reads the host of a URL as an IPv4 address the way browsers and most resolvers do (WHATWG URL
/// Standard §3.5): one to four parts, each decimal, octal (leading 0) or hexadecimal (0x), the last part
/// filling the remaining bytes. So "2130706433", "0177.0.0.1", "0x7f.1" and "127.1" are all 127.0.0.1.
public enum IPv4Host {
    public static func parse(_ host: String) -> IPAddress? {
        var parts = host.split(separator: ".", omittingEmptySubsequences: false)
        if parts.last == "", parts.count > 1 { parts.removeLast() }
        guard (1...4).contains(parts.count) else { return nil }
        var numbers: [UInt64] = []
        for part in parts {
            guard let number = number(part) else { return nil }
            numbers.append(number)
        }
        guard numbers.dropLast().allSatisfy({ $0 <= 255 }), let last = numbers.last else { return nil }
        let lastBytes = 5 - numbers.count
        guard last < (UInt64(1) << (8 * UInt64(lastBytes))) else { return nil }
        var value = last
        for (index, number) in numbers.dropLast().enumerated() { value |= number << (8 * UInt64(3 - index)) }
        return .v4(UInt32(truncatingIfNeeded: value))
    }

    static func number(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.utf8.count <= 32, part.allSatisfy({ $0.isHexDigit || $0 == "x" || $0 == "X" })
        else { return nil }
        var text = part.lowercased()
        var radix = 10
        if text.hasPrefix("0x") {
            radix = 16
            text.removeFirst(2)
            if text.isEmpty { return 0 }
        } else if text.count > 1, text.hasPrefix("0") {
            radix = 8
            text.removeFirst()
        }
        return UInt64(text, radix: radix)
    }
}
