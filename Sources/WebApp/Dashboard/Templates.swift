import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The dashboard's Mustache templates, shipped in the binary's resources and loaded once at start.
public struct Templates: Sendable {
    let library: MustacheLibrary

    public static func load() async throws -> Templates {
        Templates(library: try await MustacheLibrary(directory: try ResourceFolder.url("templates").path))
    }

    /// Renders a page; the layout's navigation appears when a session is given.
    func page(_ name: String, _ object: some Any, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = library.render(object, withTemplate: name) else { throw TemplateError.missing(name) }
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    enum TemplateError: Error { case missing(String) }
}

/// Answers that send the browser somewhere else.
enum Redirect {
    /// 303 See Other: after a POST the browser follows with a GET.
    static func to(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
