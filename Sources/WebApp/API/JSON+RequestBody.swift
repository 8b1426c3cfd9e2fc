import Foundation
import LeadgenCore

extension JSON {
    /// Parses a request body that must be one JSON object.
    static func requestObject(from data: Data) throws(Problem) -> [String: JSON] {
        guard !data.isEmpty else { throw Problem.badRequest("the body is empty; a JSON object is expected") }
        let value: JSON
        do {
            value = try JSONDecoder().decode(JSON.self, from: data)
        } catch {
            throw Problem.badRequest("the body is not valid JSON")
        }
        guard case .object(let object) = value else {
            throw Problem.badRequest("the body must be a JSON object, not \(value.typeName)")
        }
        return object
    }
}
