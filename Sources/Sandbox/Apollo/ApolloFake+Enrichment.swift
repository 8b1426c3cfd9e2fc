import AsyncHTTPClient
import Foundation
import NIOCore

/// People and organization enrichment: single and bulk matches, each revealed person charged once a credit.
extension ApolloFake {
    func match(_ body: [String: Any]) -> SandboxResponse {
        guard let index = directory.match(body) else { return .json(200, ["person": null]) }
        charge(directory.people[index].id, 1)
        return .json(200, ["person": personJSON(index)])
    }

    func bulkMatch(_ request: SandboxRequest, _ body: [String: Any]) -> SandboxResponse {
        guard let raw = body["details"] else {
            return .json(
                400,
                [
                    "status": "failed", "error_code": "INVALID_REQUEST",
                    "error_message": "invalid request, missing details",
                ])
        }
        guard let details = raw as? [Any], details.allSatisfy({ $0 is [String: Any] }) else {
            return .json(
                422,
                [
                    "status": "failed", "error_code": "UNKNOWN_ERROR",
                    "error_message": "no implicit conversion of Symbol into Integer",
                ])
        }
        guard details.count <= 10 else {
            return .json(
                400,
                [
                    "status": "failed", "error_code": "RECORD_LIMIT_EXCEEDED",
                    "error_message": "cannot enrich more than 10 in a single request",
                ])
        }
        let revealPhone = request.queryValues("reveal_phone_number").first == "true"
        let webhook = request.queryValues("webhook_url").first.flatMap(URL.init(string:))
        if revealPhone && webhook == nil {
            // Inferred body: Apollo documents only that a phone reveal requires a webhook_url.
            return .json(
                400, ["status": "failed", "error_code": "INVALID_REQUEST", "error_message": "webhook_url is required"])
        }
        var matches: [Any] = []
        var credits = 0.0
        var unique = Set<String>()
        var phoneDeliveries: [(id: String, mobile: String)] = []
        for case let detail as [String: Any] in details {
            guard let index = directory.match(detail) else {
                matches.append(null)
                continue
            }
            let person = directory.people[index]
            var cost = 1.0
            if revealPhone, let mobile = person.mobile {
                cost += 8
                phoneDeliveries.append((person.id, mobile))
            }
            charge(person.id, cost)
            credits += cost
            unique.insert(person.id)
            var match = personJSON(index)
            if revealPhone, person.mobile == nil {
                // Inferred (docs/reference/apollo.md §3b): a person
                // with no number to reveal is marked skipped, and no webhook delivery follows for them.
                match["phone_enrichment"] = [
                    "status": "skipped", "message": "no mobile number on record for this person",
                ]
            }
            matches.append(match)
        }
        let requestID = Int64(bitPattern: random.next())
        if let webhook, !phoneDeliveries.isEmpty {
            deliverPhones(phoneDeliveries, to: webhook, requestID: requestID)
        }
        var answer: [String: Any] = [
            "status": "success", "error_code": null, "error_message": null,
            "total_requested_enrichments": details.count, "unique_enriched_records": unique.count,
            "missing_records": details.count - matches.filter { !($0 is NSNull) }.count,
            "credits_consumed": credits, "matches": matches,
        ]
        if revealPhone { answer["request_id"] = requestID }
        return .json(200, answer)
    }

    func enrichOrganization(_ request: SandboxRequest, _ body: [String: Any]) -> SandboxResponse {
        guard let domain = request.queryValues("domain").first ?? body["domain"] as? String else {
            return .json(422, ["error": "Required parameter 'domain' missing"])
        }
        guard let org = directory.organization(domain: domain) else { return .json(200, [String: Any]()) }
        charge("org:" + org.id, 1)
        return .json(200, ["organization": organizationJSON(org)])
    }

    func bulkEnrichOrganizations(_ request: SandboxRequest, _ body: [String: Any]) -> SandboxResponse {
        var domains = request.queryValues("domains")
        if domains.isEmpty, let details = body["details"] as? [[String: Any]] {
            domains = details.compactMap { $0["domain"] as? String }
        }
        guard !domains.isEmpty else {
            return .json(
                400,
                [
                    "status": "failed", "error_code": "INVALID_REQUEST",
                    "error_message": "invalid request, missing domains",
                ])
        }
        guard domains.count <= 10 else {
            return .json(
                400,
                [
                    "status": "failed", "error_code": "RECORD_LIMIT_EXCEEDED",
                    "error_message": "cannot enrich more than 10 in a single request",
                ])
        }
        let found = domains.compactMap { directory.organization(domain: $0) }
        for org in found { charge("org:" + org.id, 1) }
        return .json(
            200,
            [
                "status": "success", "error_code": null, "error_message": null,
                "total_requested_domains": domains.count,
                "unique_domains": Set(domains).count, "unique_enriched_records": found.count,
                "missing_records": domains.count - found.count, "organizations": found.map(organizationJSON),
            ])
    }
}
