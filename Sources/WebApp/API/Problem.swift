import Foundation
import HTTPTypes
import Hummingbird
import LeadgenCore

/// An RFC 9457 problem: the error body of every API response.
public struct Problem: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String?
    /// Where in the request the problem is: a field name, a query parameter, a line.
    public var errors: [FieldError] = []

    public struct FieldError: Codable, Sendable, Equatable {
        public var field: String
        public var message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public init(status: HTTPResponse.Status, title: String, detail: String? = nil, errors: [FieldError] = []) {
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
    }

    public static let unauthorized = Problem(
        status: .unauthorized, title: "Unauthorized",
        detail: "send a valid API key as 'Authorization: Bearer <key>'; create one with 'leadgen apikey create'")

    public static func notFound(_ what: String) -> Problem {
        Problem(status: .notFound, title: "Not Found", detail: "\(what) does not exist")
    }

    public static func badRequest(_ detail: String, field: String? = nil) -> Problem {
        Problem(
            status: .badRequest, title: "Bad Request", detail: detail,
            errors: field.map { [FieldError(field: $0, message: detail)] } ?? [])
    }

    public static func invalid(_ errors: [FieldError]) -> Problem {
        Problem(
            status: .unprocessableContent, title: "Unprocessable Content",
            detail: errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), errors: errors)
    }

    static func tooLarge(limit: Int) -> Problem {
        Problem(status: .contentTooLarge, title: "Content Too Large", detail: "the body is larger than \(limit) bytes")
    }

    /// The response, with the request id so a user can quote it and an operator find the log line.
    func response(requestID: String) -> Response {
        var body: [String: JSON] = [
            "type": .string("about:blank"), "title": .string(title), "status": .int(Int(status.code)),
            "request_id": .string(requestID),
        ]
        if let detail { body["detail"] = .string(detail) }
        if !errors.isEmpty {
            body["errors"] = .array(
                errors.map { .object(["field": .string($0.field), "message": .string($0.message)]) })
        }
        let data = (try? JSON.object(body).data()) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
