import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

@testable import WebApp

@Suite struct ImportsAPITests {
    static let csv = """
        First Name,Last Name,Email,Company Name,Website\r
        Jane,Doe,jane@acme.com,Acme,acme.com\r
        JANE,DOE,JANE@ACME.COM,Acme,www.acme.com\r
        Bad,Row,bad(at)acme.com,Acme,acme.com\r
        Bob,Roe,bob@acme.com,Acme,acme.com\r

        """

    @Test(arguments: TestDatabases.kinds)
    func importsATextCSVBodyInTheBackground(kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let accepted = try await api.request(
                .post, "/api/v1/imports?file_name=people.csv", body: Self.csv, contentType: "text/csv")
            #expect(accepted.status == .accepted)
            let id = try #require(try APITestHarness.object(accepted)["id"] as? String)
            try await api.root.worker.drain()
            let status = try APITestHarness.object(try await api.request(.get, "/api/v1/imports/\(id)"))
            #expect(status["status"] as? String == "succeeded")
            #expect(status["file_name"] as? String == "people.csv")
            #expect(status["rows_read"] as? Int == 4)
            #expect(status["leads_created"] as? Int == 2)
            #expect(status["rows_unchanged"] as? Int == 1)
            #expect(status["rows_rejected"] as? Int == 1)
            let rejects = try #require(status["rejects"] as? [[String: Any]])
            #expect(rejects.first?["line"] as? Int == 4)
            #expect(rejects.first?["row"] as? String == "Bad,Row,bad(at)acme.com,Acme,acme.com")
        }
    }

    @Test func importsAMultipartUpload() async throws {
        try await APITestHarness.run(.sqlite) { api in
            let boundary = "----leadgen-test-boundary"
            let body =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"team.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n\(Self.csv)\r\n--\(boundary)--\r\n"
            let accepted = try await api.request(
                .post, "/api/v1/imports", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(accepted.status == .accepted)
            let id = try #require(try APITestHarness.object(accepted)["id"] as? String)
            try await api.root.worker.drain()
            let status = try APITestHarness.object(try await api.request(.get, "/api/v1/imports/\(id)"))
            #expect(status["file_name"] as? String == "team.csv")
            #expect(status["leads_created"] as? Int == 2)
        }
    }

    @Test func refusedUploads() async throws {
        try await APITestHarness.run(.sqlite) { api in
            let tooLarge = try await api.request(
                .post, "/api/v1/imports", body: String(repeating: "a,b\r\n", count: 100_000), contentType: "text/csv")
            #expect(tooLarge.status == .contentTooLarge)
            let noFile = try await api.request(
                .post, "/api/v1/imports",
                body: "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--\r\n",
                contentType: "multipart/form-data; boundary=b")
            #expect(noFile.status == .badRequest)
            let json = try await api.request(.post, "/api/v1/imports", json: "{}")
            #expect(json.status == .unsupportedMediaType)
        }
    }

    @Test func aFileWithoutPeopleFailsWithItsReason() async throws {
        try await APITestHarness.run(.sqlite) { api in
            let accepted = try await api.request(
                .post, "/api/v1/imports", body: "Product,Price\nX,1\n", contentType: "text/csv")
            let id = try #require(try APITestHarness.object(accepted)["id"] as? String)
            try await api.root.worker.drain()
            let status = try APITestHarness.object(try await api.request(.get, "/api/v1/imports/\(id)"))
            #expect(status["status"] as? String == "failed")
            #expect(
                (status["error"] as? String)?.hasPrefix("the header names no column that identifies a person") == true)
        }
    }
}

@Suite struct JobsAPITests {
    @Test(arguments: TestDatabases.kinds)
    func listsTheWorkspacesJobsAndRetriesOrCancelsThem(kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let accepted = try await api.request(
                .post, "/api/v1/imports?file_name=p.csv", body: ImportsAPITests.csv, contentType: "text/csv")
            #expect(accepted.status == .accepted)
            let listed = try APITestHarness.object(try await api.request(.get, "/api/v1/jobs?state=pending"))
            let job = try #require((listed["data"] as? [[String: Any]])?.first)
            let id = try #require(job["id"] as? String)
            #expect(job["kind"] as? String == "import_csv")

            let cancelled = try await api.request(.post, "/api/v1/jobs/\(id)/cancel")
            #expect(cancelled.status == .ok)
            #expect(try APITestHarness.object(cancelled)["state"] as? String == "cancelled")
            #expect(try await api.request(.post, "/api/v1/jobs/\(id)/cancel").status == .conflict)

            let retried = try await api.request(.post, "/api/v1/jobs/\(id)/retry")
            #expect(try APITestHarness.object(retried)["state"] as? String == "pending")
            try await api.root.worker.drain()
            #expect(
                try APITestHarness.object(try await api.request(.get, "/api/v1/jobs/\(id)"))["state"] as? String
                    == "succeeded")

            let other = try await api.root.stores.workspaces.findOrCreate(slug: "other").id
            let otherKey = try await api.root.stores.apiKeys.create(workspace: other, name: "other").secret
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(otherKey)"
            let hidden = try await api.client.execute(uri: "/api/v1/jobs/\(id)", method: .get, headers: headers)
            #expect(hidden.status == .notFound)
            #expect(try await api.request(.get, "/api/v1/jobs?state=sleeping").status == .unprocessableContent)
        }
    }
}
