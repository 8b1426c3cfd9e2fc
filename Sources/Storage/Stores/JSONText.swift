import Foundation
import LeadgenCore

/// JSON text for list and map columns: sorted keys, so equal values are stored identically.
///
/// The column types are few and simple, so they are written by hand: `JSONEncoder` costs more than the
/// rest of an imported row together.
enum JSONText {
    static func encode(_ strings: [String]) -> String {
        var out = "["
        for (index, string) in strings.enumerated() {
            if index > 0 { out += "," }
            appendQuoted(string, to: &out)
        }
        return out + "]"
    }

    static func encode(_ map: [String: String]) -> String {
        var out = "{"
        for (index, key) in map.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            appendQuoted(key, to: &out)
            out += ":"
            appendQuoted(map[key]!, to: &out)
        }
        return out + "}"
    }

    static func encode(_ phones: [LeadPhone]) -> String {
        var out = "["
        for (index, phone) in phones.enumerated() {
            if index > 0 { out += "," }
            out += "{"
            if let e164 = phone.e164 {
                out += "\"e164\":"
                appendQuoted(e164, to: &out)
                out += ","
            }
            out += "\"kind\":"
            appendQuoted(phone.kind.rawValue, to: &out)
            out += ",\"raw\":"
            appendQuoted(phone.raw, to: &out)
            out += "}"
        }
        return out + "]"
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    /// Appends `string` as a JSON string literal (RFC 8259 escaping).
    static func appendQuoted(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSONText {
    /// Any encodable value as JSON text.
    static func encode<T: Encodable>(_ value: T) -> String {
        (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? "null"
    }

    /// The value, or `fallback` when the text is not what was stored.
    static func decode<T: Decodable>(_ type: T.Type, _ text: String, default fallback: T) -> T {
        (try? decode(type, text)) ?? fallback
    }
}
