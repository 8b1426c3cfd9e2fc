import Foundation
import Hummingbird
import LeadgenCore
import Storage

/// Reads the query string of `GET /api/v1/leads` into a `LeadQuery`, naming each bad parameter.
enum LeadQueryParameters {
    static let names: Set<String> = [
        "q", "status", "tag", "company_domain", "country", "created_after", "created_before", "sort", "limit",
        "cursor", "email", "linkedin_url",
    ]

    static func parse(_ request: Request) throws(Problem) -> LeadQuery {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { values[String(key)] = String(value) }
        return try parse(values, allowed: names, unknown: "unknown query parameter")
    }

    /// The filters alone (no sort, limit or cursor), as an enrolment's `filter` object gives them; each
    /// problem's field is `filter.<name>`.
    static let filterNames: Set<String> = [
        "q", "status", "tag", "company_domain", "country", "created_after", "created_before",
    ]

    static func parseFilter(_ values: [String: String]) throws(Problem) -> LeadQuery {
        try parse(values, allowed: filterNames, unknown: "not a lead filter", prefix: "filter.")
    }

    static func parse(
        _ parameters: [String: String], allowed: Set<String>, unknown: String, prefix: String = ""
    ) throws(Problem) -> LeadQuery {
        var query = LeadQuery()
        var errors: [Problem.FieldError] = []
        for key in parameters.keys.sorted() where !allowed.contains(key) {
            errors.append(.init(field: prefix + key, message: unknown))
        }
        func value(_ name: String) -> String? {
            parameters[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        query.text = value("q")
        query.tag = value("tag")
        if let text = value("email") {
            do { query.identity = MatchKey(kind: .email, value: try EmailAddress(parsing: text).value) } catch {
                errors.append(.init(field: "email", message: error.description))
            }
        }
        if let text = value("linkedin_url") {
            do { query.identity = MatchKey(kind: .linkedin, value: try LinkedInURL(parsing: text).value) } catch {
                errors.append(.init(field: "linkedin_url", message: error.description))
            }
        }
        if let text = value("status") {
            if let status = LeadStatus(rawValue: text) {
                query.status = status
            } else {
                errors.append(
                    .init(
                        field: "status",
                        message: "expected one of \(LeadStatus.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        if let text = value("company_domain") {
            do { query.companyDomain = try Domain(parsing: text) } catch {
                errors.append(.init(field: "company_domain", message: error.description))
            }
        }
        if let text = value("country") {
            if let country = Country(text) {
                query.country = country
            } else {
                errors.append(.init(field: "country", message: "'\(text)' is not an ISO 3166 country name or code"))
            }
        }
        for (name, path) in [("created_after", \LeadQuery.createdAfter), ("created_before", \LeadQuery.createdBefore)] {
            guard let text = value(name) else { continue }
            if let date = parseDate(text) {
                query[keyPath: path] = date
            } else {
                errors.append(.init(field: name, message: "expected an ISO 8601 date or date-time, got '\(text)'"))
            }
        }
        if let text = value("sort") {
            let descending = text.hasPrefix("-")
            if let sort = LeadQuery.Sort(rawValue: String(text.drop { $0 == "-" })) {
                query.sort = sort
                query.descending = descending
            } else {
                let options = LeadQuery.Sort.allCases.map(\.rawValue).joined(separator: ", ")
                errors.append(.init(field: "sort", message: "expected one of \(options), with '-' for descending"))
            }
        } else {
            query.sort = .createdAt
            query.descending = true
        }
        if let text = value("limit") {
            if let limit = Int(text), (1...200).contains(limit) {
                query.limit = limit
            } else {
                errors.append(.init(field: "limit", message: "expected a number from 1 to 200"))
            }
        }
        if let token = value("cursor") {
            if let cursor = LeadCursor(token: token), cursor.sort == query.sort.rawValue,
                cursor.descending == query.descending
            {
                query.cursor = cursor
            } else {
                errors.append(
                    .init(field: "cursor", message: "not a cursor of this listing; use next_cursor as returned"))
            }
        }
        guard errors.isEmpty else {
            throw Problem.invalid(
                errors.map { $0.field.hasPrefix(prefix) ? $0 : .init(field: prefix + $0.field, message: $0.message) })
        }
        return query
    }

    static func parseDate(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day())
    }
}
