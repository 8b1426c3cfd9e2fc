import Foundation
import Hummingbird

/// The text fields of a `multipart/form-data` body, each up to `fieldLimit` bytes (longer ones are cut; file
/// parts, such as attachments, are skipped); the whole body up to `limit` bytes.
enum MultipartFields {
    static func read(_ request: Request, limit: Int, fieldLimit: Int = 256 * 1024) async throws -> [String: String] {
        guard MultipartStream.boundary(in: request.headers[.contentType] ?? "") != nil else {
            throw Problem.badRequest("expected multipart/form-data with a boundary")
        }
        var value: [UInt8] = []
        var fields: [String: String] = [:]
        try await MultipartStream.read(
            request, limit: limit,
            onBytes: { part, buffer in
                guard part.fileName == nil, value.count < fieldLimit else { return }
                value += buffer.readableBytesView.prefix(fieldLimit - value.count)
            },
            onPartEnd: { part in
                if let name = part.name, part.fileName == nil { fields[name] = String(decoding: value, as: UTF8.self) }
                value = []
            })
        return fields
    }
}
