import Foundation
import LeadgenCore
import SQLKit

/// Turns a `LeadQuery`'s filters and cursor into WHERE clauses, every value bound.
struct LeadFilter {
    let query: LeadQuery
    let workspace: WorkspaceID

    func apply(to select: SQLSelectBuilder) {
        if let text = query.text?.trimmingCharacters(in: .whitespaces).lowercased(), !text.isEmpty {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            select.where(SQLQueryString("search_text LIKE \(bind: "%\(escaped)%") ESCAPE '\\'"))
        }
        if let identity = query.identity {
            select.where(
                SQLQueryString(
                    "id IN (SELECT lead_id FROM lead_identities WHERE workspace_id = \(bind: workspace.rawValue) AND match_key = \(bind: identity.storageKey))"
                ))
        }
        if let status = query.status { select.where("status", .equal, status.rawValue) }
        if let tag = query.tag {
            select.where(
                SQLQueryString(
                    "id IN (SELECT lead_id FROM lead_tags WHERE workspace_id = \(bind: workspace.rawValue) AND lower(tag) = \(bind: tag.lowercased()))"
                ))
        }
        if let domain = query.companyDomain {
            select.where(
                SQLQueryString(
                    "company_id IN (SELECT id FROM companies WHERE workspace_id = \(bind: workspace.rawValue) AND domain = \(bind: domain.value))"
                ))
        }
        if let country = query.country { select.where("country", .equal, country.code) }
        if let after = query.createdAfter { select.where("created_at", .greaterThanOrEqual, SQLBind(after)) }
        if let before = query.createdBefore { select.where("created_at", .lessThan, SQLBind(before)) }
        if let cursor = query.cursor {
            let sortColumn = LeadStore.sortExpression(query.sort)
            let op: SQLBinaryOperator = query.descending ? .lessThan : .greaterThan
            select.where {
                $0.where(sortColumn, op, SQLBind(cursor.value))
                    .orWhere {
                        $0.where(sortColumn, .equal, SQLBind(cursor.value)).where(
                            SQLColumn("id"), op, SQLBind(cursor.id))
                    }
            }
        }
    }
}
