import Foundation

/// The fields of one record a form tool posted, as name and text pairs, read the way a CSV row is: a JSON
/// object's nested objects by dotted names (`contact.email`), lists of plain values joined with ", ", numbers
/// and booleans as written. Bounded: at most `maxFields` fields and `maxDepth` levels, the rest ignored.
public enum InboundFields {
    public static let maxFields = 200
    public static let maxDepth = 4

    public static func of(_ object: [String: JSON]) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        collect(object, prefix: "", depth: 1, into: &fields)
        return fields
    }

    private static func collect(
        _ object: [String: JSON], prefix: String, depth: Int, into fields: inout [(name: String, value: String)]
    ) {
        for key in object.keys.sorted() {
            guard fields.count < maxFields, let value = object[key] else { return }
            let name = prefix.isEmpty ? key : prefix + "." + key
            switch value {
            case .object(let nested) where depth < maxDepth:
                collect(nested, prefix: name, depth: depth + 1, into: &fields)
            case .array(let items):
                let texts = items.prefix(100).compactMap(text)
                if !texts.isEmpty { fields.append((name, texts.joined(separator: ", "))) }
            default:
                if let text = text(value) { fields.append((name, text)) }
            }
        }
    }

    private static func text(_ value: JSON) -> String? {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): number.isFinite ? String(number) : nil
        case .bool(let flag): flag ? "true" : "false"
        case .null, .array, .object: nil
        }
    }
}
