import Foundation
import Hummingbird

/// Reads `application/x-www-form-urlencoded` bodies of the dashboard's small forms.
enum Forms {
    static let limit = 64 * 1024

    static func read(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: limit)
        return parse(String(buffer: buffer))
    }

    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return fields
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
