import Foundation
import SQLKit

/// Bound values for hand-listed columns. Binding values directly, with NULL literals for nil, avoids the
/// Codable round trip of SQLKit's model encoding, which dominated the cost of a bulk import.
enum SQLValue {
    static func of(_ value: String?) -> any SQLExpression { value.map { SQLBind($0) } ?? SQLLiteral.null }
    static func of(_ value: Int?) -> any SQLExpression { value.map { SQLBind($0) } ?? SQLLiteral.null }
    static func of(_ value: Double?) -> any SQLExpression { value.map { SQLBind($0) } ?? SQLLiteral.null }
    static func of(_ value: Date) -> any SQLExpression { SQLBind(value) }
    static func of(_ value: Date?) -> any SQLExpression { value.map { SQLBind($0) } ?? SQLLiteral.null }
}

extension LeadRow {
    /// The row's values in `LeadRow.columns` order.
    var values: [any SQLExpression] {
        [
            SQLValue.of(id), SQLValue.of(workspace_id), SQLValue.of(company_id), SQLValue.of(first_name),
            SQLValue.of(last_name), SQLValue.of(full_name), SQLValue.of(title), SQLValue.of(seniority),
            SQLValue.of(departments), SQLValue.of(email), SQLValue.of(email_status), SQLValue.of(other_emails),
            SQLValue.of(phones), SQLValue.of(linkedin_url), SQLValue.of(city), SQLValue.of(state),
            SQLValue.of(country), SQLValue.of(time_zone), SQLValue.of(status), SQLValue.of(owner),
            SQLValue.of(custom_fields), SQLValue.of(apollo_person_id), SQLValue.of(apollo_contact_id),
            SQLValue.of(search_text), SQLValue.of(created_at), SQLValue.of(updated_at),
        ]
    }
}

extension CompanyRow {
    /// The row's values in `CompanyRow.columns` order.
    var values: [any SQLExpression] {
        [
            SQLValue.of(id), SQLValue.of(workspace_id), SQLValue.of(name), SQLValue.of(domain),
            SQLValue.of(linkedin_url), SQLValue.of(industry), SQLValue.of(employee_count),
            SQLValue.of(annual_revenue), SQLValue.of(phone), SQLValue.of(city), SQLValue.of(state),
            SQLValue.of(country), SQLValue.of(apollo_organization_id), SQLValue.of(created_at),
            SQLValue.of(updated_at),
        ]
    }
}

extension SQLDatabase {
    /// Inserts rows given as value lists in `columns` order.
    func insert(into table: String, columns: [String], rows: [[any SQLExpression]]) async throws {
        guard !rows.isEmpty else { return }
        let insert = self.insert(into: table).columns(columns)
        for row in rows { insert.values(row) }
        try await insert.run()
    }

    /// Updates every column but the first (the id) of the row with that id.
    func update(_ table: String, columns: [String], row: [any SQLExpression]) async throws {
        let update = self.update(table)
        for (column, value) in zip(columns, row).dropFirst() { update.set(SQLColumn(column), to: value) }
        try await update.where(SQLColumn(columns[0]), .equal, row[0]).run()
    }
}
