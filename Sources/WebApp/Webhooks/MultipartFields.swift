import Foundation
import Hummingbird
import MultipartKit

/// The text fields of a `multipart/form-data` body, each up to `fieldLimit` bytes (longer ones, such as
/// attachments, are cut); the whole body up to `limit` bytes.
enum MultipartFields {
    static func read(_ request: Request, limit: Int, fieldLimit: Int = 256 * 1024) async throws -> [String: String] {
        guard let boundary = UploadReceiver.boundary(in: request.headers[.contentType] ?? "") else {
            throw Problem.badRequest("expected multipart/form-data with a boundary")
        }
        let parser = MultipartParser(boundary: boundary)
        var headers: [String: String] = [:]
        var value: [UInt8] = []
        var fields: [String: String] = [:]
        parser.onHeader = { name, text in headers[name.lowercased()] = text }
        parser.onBody = { buffer in
            if value.count < fieldLimit { value += buffer.readableBytesView.prefix(fieldLimit - value.count) }
        }
        parser.onPartComplete = {
            let disposition = UploadReceiver.disposition(headers["content-disposition"] ?? "")
            if let name = disposition.name, disposition.fileName == nil {
                fields[name] = String(decoding: value, as: UTF8.self)
            }
            headers = [:]
            value = []
        }
        var size = 0
        for try await buffer in request.body {
            size += buffer.readableBytes
            guard size <= limit else { throw Problem.tooLarge(limit: limit) }
            do { try parser.execute(buffer) } catch {
                throw Problem.badRequest("the multipart/form-data body is malformed")
            }
        }
        return fields
    }
}
