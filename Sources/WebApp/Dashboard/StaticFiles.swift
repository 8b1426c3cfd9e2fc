import Foundation
import HTTPTypes
import Hummingbird

/// Serves the dashboard's stylesheet and script from the binary's resources, read once at start.
struct StaticFiles {
    let files: [String: (type: String, body: ByteBuffer)]

    static func load() throws -> StaticFiles {
        let directory = try ResourceFolder.url("static")
        var files: [String: (String, ByteBuffer)] = [:]
        for (name, type) in [("app.css", "text/css; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8")] {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            files[name] = (type, ByteBuffer(bytes: data))
        }
        return StaticFiles(files: files)
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("static/:name") { _, context -> Response in
            guard let file = files[try context.parameters.require("name")] else { throw HTTPError(.notFound) }
            return Response(
                status: .ok, headers: [.contentType: file.type, .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: file.body))
        }
    }
}
