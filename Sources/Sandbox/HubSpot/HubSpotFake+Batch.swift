import Foundation

/// The batch endpoints: create, update, upsert and read up to 100 objects, with HubSpot's 207 multi-status.
extension HubSpotFake {
    func batch(_ type: String, _ action: String, _ body: Any?) -> SandboxResponse {
        guard let path = objects(type) else { return .json(404, error("OBJECT_NOT_FOUND", "Resource not found")) }
        guard let inputs = (body as? [String: Any])?["inputs"] as? [[String: Any]] else {
            return .json(400, error("VALIDATION_ERROR", "Invalid input JSON: inputs is required"))
        }
        guard inputs.count <= 100 else {
            return .json(
                400,
                error("VALIDATION_ERROR", "Batch input limit exceeded: \(inputs.count) inputs, the limit is 100"))
        }
        return withStore { store -> SandboxResponse in
            var results: [[String: Any]] = []
            var errors: [[String: Any]] = []
            let started = iso(now())
            switch action {
            case "upsert":
                for input in inputs {
                    guard let key = input["id"] as? String, let properties = Self.properties(input["properties"]) else {
                        return .json(
                            400, error("VALIDATION_ERROR", "Invalid input JSON: id and properties are required"))
                    }
                    let idProperty = (input["idProperty"] as? String) ?? "hs_object_id"
                    guard store[keyPath: path].isUnique(idProperty) else {
                        return .json(
                            400,
                            error(
                                "VALIDATION_ERROR",
                                "Unable to perform update/upsert by non-unique \(store[keyPath: path].typeID) property \(idProperty) in portal ID \(portalID)"
                            ))
                    }
                    let existing = store[keyPath: path].find(idProperty, key)
                    var values = properties
                    values[idProperty] = values[idProperty] ?? key
                    switch write(&store[keyPath: path], id: existing?.id, properties: values, type: type) {
                    case .failure(let failure): errors.append(batchError(failure, ids: [key]))
                    case .success(let (record, isNew)):
                        var item = json(record)
                        item["new"] = isNew
                        results.append(item)
                    }
                }
            case "create":
                for input in inputs {
                    guard let properties = Self.properties(input["properties"]) else {
                        return .json(400, error("VALIDATION_ERROR", "Invalid input JSON: properties is required"))
                    }
                    switch write(&store[keyPath: path], id: nil, properties: properties, type: type) {
                    case .failure(let failure) where failure.status == 409:
                        // batch/create refuses the whole batch with the first existing record
                        // (docs/reference/hubspot.md §2).
                        return failure.response
                    case .failure(let failure): errors.append(batchError(failure, ids: []))
                    case .success(let (record, _)): results.append(json(record))
                    }
                }
            case "update":
                for input in inputs {
                    guard let id = input["id"] as? String, let properties = Self.properties(input["properties"]) else {
                        return .json(
                            400, error("VALIDATION_ERROR", "Invalid input JSON: id and properties are required"))
                    }
                    let idProperty = (input["idProperty"] as? String) ?? "hs_object_id"
                    guard let record = store[keyPath: path].find(idProperty, id) else {
                        errors.append([
                            "status": "error", "category": "OBJECT_NOT_FOUND",
                            "message":
                                "Could not get some \(type) objects, they may be deleted or not exist. Check that ids are valid.",
                            "context": ["ids": [id]], "errors": [Any](), "links": [String: Any](),
                        ])
                        continue
                    }
                    switch write(&store[keyPath: path], id: record.id, properties: properties, type: type) {
                    case .failure(let failure): errors.append(batchError(failure, ids: [id]))
                    case .success(let (record, _)): results.append(json(record))
                    }
                }
            case "read":
                for input in inputs {
                    if let id = input["id"] as? String, let record = store[keyPath: path].records[id] {
                        results.append(json(record))
                    }
                }
            default:
                return .json(404, error("OBJECT_NOT_FOUND", "Resource not found"))
            }
            var answer: [String: Any] = [
                "status": "COMPLETE", "startedAt": started, "completedAt": iso(now()), "results": results,
            ]
            if !errors.isEmpty {
                answer["errors"] = errors
                answer["numErrors"] = errors.count
                return .json(207, answer)
            }
            return .json(action == "create" ? 201 : 200, answer)
        }
    }
}
