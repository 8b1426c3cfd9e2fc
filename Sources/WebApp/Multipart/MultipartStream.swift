import Foundation
import Hummingbird
import LeadgenCore

/// Reads a `multipart/form-data` body as it streams in, up to `limit` bytes: each part's bytes go to
/// `onBytes` as they arrive, with the part's name and file name, and `onPartEnd` follows each part. The CSV
/// upload writes its `file` part to disk this way; the Inbound Parse reader keeps text fields.
enum MultipartStream {
    struct Part: Equatable {
        var name: String?
        var fileName: String?
    }

    static func read(
        _ request: Request, limit: Int, onBytes: @escaping (Part, ByteBuffer) -> Void,
        onPartEnd: @escaping (Part) -> Void
    ) async throws {
        guard let boundary = boundary(in: request.headers[.contentType] ?? "") else {
            throw Problem.badRequest("multipart/form-data needs a boundary parameter")
        }
        var part = Part()
        var parser: MultipartParser
        do {
            parser = try MultipartParser(
                boundary: boundary,
                handlers: .init(
                    onPartStart: { fields in
                        part = disposition(fields.last { $0.name == "content-disposition" }?.value ?? "")
                    },
                    onBody: { bytes in onBytes(part, ByteBuffer(bytes: bytes)) },
                    onPartEnd: { onPartEnd(part) }))
        } catch {
            throw Problem.badRequest(error.description)
        }
        var size = 0
        do {
            for try await buffer in request.body {
                size += buffer.readableBytes
                guard size <= limit else { throw Problem.tooLarge(limit: limit) }
                try parser.feed(buffer.readableBytesView)
            }
            try parser.finish()
        } catch let error as MultipartError {
            throw Problem.badRequest(error.description)
        }
    }

    static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0].lowercased() == "boundary" {
                let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// A part's `Content-Disposition` name and file name (the file name's last path component, at most 200
    /// characters).
    static func disposition(_ header: String) -> Part {
        var part = Part()
        for parameter in header.split(separator: ";").dropFirst() {
            let pieces = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2 else { continue }
            let value = pieces[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            switch pieces[0].lowercased() {
            case "name": part.name = value
            case "filename": part.fileName = displayName(value)
            default: break
            }
        }
        return part
    }

    /// The last path component of a client-given file name, at most 200 characters.
    static func displayName(_ name: String) -> String {
        String(name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last?.prefix(200) ?? "")
    }
}
