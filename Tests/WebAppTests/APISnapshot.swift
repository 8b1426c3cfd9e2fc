import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

/// A whole API exchange as text — the request, the status, the headers a client relies on and the body as
/// pretty JSON with sorted keys — compared with its file in `Snapshots/`, so a change in a response's shape
/// shows in review. A missing file is written and the test fails, so a new snapshot is looked at before it
/// is committed; `LEADGEN_RECORD_SNAPSHOTS=1` rewrites them after an intended change. Ids and times must be
/// made predictable by the test (a fixed clock, sequential ids); request ids are replaced here.
enum APISnapshot {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    /// The response headers a snapshot shows.
    static let headers: [HTTPField.Name] = [.contentType, .location, .allow, .retryAfter, .cacheControl]

    static func text(
        _ method: HTTPRequest.Method, _ uri: String, json: String?, body: String? = nil, contentType: String? = nil,
        _ response: TestResponse
    ) -> String {
        var lines = ["\(method) \(uri)"]
        if let contentType { lines.append("Content-Type: \(contentType)") }
        if let json { lines.append(pretty(json)) }
        if let body { lines.append(body.replacingOccurrences(of: "\r\n", with: "\n")) }
        lines.append("")
        lines.append("\(response.status.code) \(response.status.reasonPhrase)")
        for name in headers {
            if let value = response.headers[name] { lines.append("\(name.canonicalName): \(value)") }
        }
        let body = String(buffer: response.body)
        if !body.isEmpty {
            lines.append("")
            lines.append(pretty(body))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The JSON text re-printed with sorted keys and request ids replaced; anything else as it is.
    static func pretty(_ text: String) -> String {
        guard var value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        else { return text }
        if var object = value as? [String: Any], object["request_id"] is String {
            object["request_id"] = "<request id>"
            value = object
        }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: value,
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return text }
        return String(decoding: data, as: UTF8.self)
    }

    /// Compares `text` with the snapshot `name`, writing it when missing or asked to.
    static func check(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = folder.appendingPathComponent("\(name).txt")
        let record = ProcessInfo.processInfo.environment["LEADGEN_RECORD_SNAPSHOTS"] == "1"
        guard !record, let expected = try? String(contentsOf: file, encoding: .utf8) else {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            Issue.record(
                "snapshot \(name) written: review Snapshots/\(name).txt and commit it", sourceLocation: sourceLocation)
            return
        }
        #expect(text == expected, "the response differs from Snapshots/\(name).txt", sourceLocation: sourceLocation)
    }
}

extension APITestHarness {
    /// Sends the request and compares the whole exchange with the snapshot `name`; returns the response.
    @discardableResult
    func snapshot(
        _ name: String, _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, body: String? = nil,
        contentType: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        let response = try await request(method, uri, json: json, body: body, contentType: contentType)
        let text = APISnapshot.text(method, uri, json: json, body: body, contentType: contentType, response)
        try APISnapshot.check(name, text, sourceLocation: sourceLocation)
        return response
    }
}
