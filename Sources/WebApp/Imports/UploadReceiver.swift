import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit

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
                guard let boundary = Self.boundary(in: request.headers[.contentType] ?? "") else {
                    throw Problem.badRequest("multipart/form-data needs a boundary parameter")
                }
                var upload = try await receiveMultipart(request, boundary: boundary, into: file)
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
            let name = request.uri.queryParameters["file_name"].map { Self.displayName(String($0)) } ?? "upload.csv"
            return Upload(path: path, fileName: name.isEmpty ? "upload.csv" : name, fields: [:])
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    private func receiveMultipart(_ request: Request, boundary: String, into file: FileHandle) async throws -> Upload {
        let parser = MultipartParser(boundary: boundary)
        var headers: [String: String] = [:]
        var fieldValue: [UInt8] = []
        var fields: [String: String] = [:]
        var fileName: String?
        var writeError: (any Error)?
        var fileSeen = false
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { buffer in
            let disposition = Self.disposition(headers["content-disposition"] ?? "")
            if disposition.name == "file" {
                fileSeen = true
                fileName = fileName ?? disposition.fileName
                do { try file.write(contentsOf: Data(buffer: buffer)) } catch { writeError = error }
            } else if fieldValue.count < 64 * 1024 {
                fieldValue += buffer.readableBytesView
            }
        }
        parser.onPartComplete = {
            let disposition = Self.disposition(headers["content-disposition"] ?? "")
            if disposition.name != "file", let name = disposition.name {
                fields[name] = String(decoding: fieldValue, as: UTF8.self)
            }
            headers = [:]
            fieldValue = []
        }
        var size = 0
        for try await buffer in request.body {
            size += buffer.readableBytes
            guard size <= limit else { throw Problem.tooLarge(limit: limit) }
            do { try parser.execute(buffer) } catch {
                throw Problem.badRequest("the multipart/form-data body is malformed")
            }
            if let writeError { throw writeError }
        }
        guard fileSeen else { throw Problem.badRequest("the form has no 'file' field", field: "file") }
        return Upload(path: "", fileName: fileName ?? "upload.csv", fields: fields)
    }

    /// The last path component of a client-given file name, at most 200 characters.
    static func displayName(_ name: String) -> String {
        String(name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last?.prefix(200) ?? "")
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

    static func disposition(_ header: String) -> (name: String?, fileName: String?) {
        var name: String?
        var fileName: String?
        for parameter in header.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            switch parts[0].lowercased() {
            case "name": name = value
            case "filename": fileName = displayName(value)
            default: break
            }
        }
        return (name, fileName)
    }
}
