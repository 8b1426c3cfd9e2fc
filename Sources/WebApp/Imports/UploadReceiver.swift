import Foundation
import HTTPTypes
import Hummingbird
import NIOFoundationEssentialsCompat

/// A CSV upload saved to a temporary file, with the form fields that came with it.
struct Upload: Sendable {
    var path: String
    var fileName: String
    /// Small text fields of a multipart form (the dashboard's CSRF token, for one).
    var fields: [String: String]

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Streams an upload to disk, whatever its size up to the limit: a raw `text/csv` body, or the `file`
/// part of a `multipart/form-data` form.
struct UploadReceiver: Sendable {
    let directory: URL
    let limit: Int

    func receive(_ request: Request) async throws -> Upload {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let path = directory.appendingPathComponent("upload-\(UUID().uuidString).csv").path
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path)
        else {
            throw Problem(
                status: .internalServerError, title: "Internal Server Error", detail: "cannot store the upload")
        }
        defer { try? file.close() }
        do {
            if type.hasPrefix("multipart/form-data") {
                var upload = try await receiveMultipart(request, into: file)
                upload.path = path
                return upload
            }
            guard type.hasPrefix("text/csv") || type.hasPrefix("application/csv") || type.hasPrefix("text/plain") else {
                throw Problem(
                    status: .unsupportedMediaType, title: "Unsupported Media Type",
                    detail: "send the CSV as text/csv or as the 'file' field of multipart/form-data")
            }
            var size = 0
            for try await buffer in request.body {
                size += buffer.readableBytes
                guard size <= limit else { throw Problem.tooLarge(limit: limit) }
                try file.write(contentsOf: Data(buffer: buffer))
            }
            let name =
                request.uri.queryParameters["file_name"].map { MultipartStream.displayName(String($0)) } ?? "upload.csv"
            return Upload(path: path, fileName: name.isEmpty ? "upload.csv" : name, fields: [:])
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    private func receiveMultipart(_ request: Request, into file: FileHandle) async throws -> Upload {
        var fieldValue: [UInt8] = []
        var fields: [String: String] = [:]
        var fileName: String?
        var writeError: (any Error)?
        var fileSeen = false
        try await MultipartStream.read(
            request, limit: limit,
            onBytes: { part, buffer in
                if part.name == "file" {
                    fileSeen = true
                    fileName = fileName ?? part.fileName
                    do { try file.write(contentsOf: Data(buffer: buffer)) } catch { writeError = error }
                } else if fieldValue.count < 64 * 1024 {
                    fieldValue += buffer.readableBytesView
                }
            },
            onPartEnd: { part in
                if part.name != "file", let name = part.name {
                    fields[name] = String(decoding: fieldValue, as: UTF8.self)
                }
                fieldValue = []
            })
        if let writeError { throw writeError }
        guard fileSeen else { throw Problem.badRequest("the form has no 'file' field", field: "file") }
        return Upload(path: "", fileName: fileName ?? "upload.csv", fields: fields)
    }
}
