import Foundation
import Hummingbird
import LeadgenCore

/// Reads `application/x-www-form-urlencoded` bodies of the dashboard's small forms.
enum Forms {
    static let limit = 64 * 1024

    static func read(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: limit)
        return parse(String(buffer: buffer))
    }

    static func parse(_ text: String) -> [String: String] {
        Dictionary(FormURLEncoded.parse(text).map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }
}
