/// The kgfuse rule language: human-readable SWRL, as Protégé and owlready2 write it, with small extensions.
///
/// ```
/// # a comment
/// @prefix ex: <http://example.org/> .        # or: prefix ex: <http://example.org/>
/// prefix : <http://example.org/family#>       # the namespace of bare names
///
/// Person(?p) ^ hasParent(?p, ?x) ^ hasBrother(?x, ?u) -> hasUncle(?p, ?u)
///
/// [id: adult, description: "18 or older", severity: low]
/// ex:Person(?p) ^ ex:age(?p, ?a) ^ swrlb:greaterThanOrEqual(?a, 18) -> ex:Adult(?p)
/// ```
///
/// **SWRL core.** A rule is `body -> head`; atoms are joined with `^` (`∧` and `→` are accepted too) and a rule
/// ends after its last head atom (an optional `.` may follow), so a rule may span lines. Atoms:
/// - class atom `C(?x)` = the triple `?x rdf:type C`; property atom `p(?x, ?y)` = `?x p ?y`;
/// - `sameAs(?x, ?y)` and `differentFrom(?x, ?y)` = `owl:sameAs` / `owl:differentFrom`;
/// - built-in atoms `swrlb:name(args...)`: equal, notEqual, lessThan, lessThanOrEqual, greaterThan,
///   greaterThanOrEqual, add, subtract, multiply, divide, abs, stringConcat, contains, startsWith, matches.
///   Arithmetic and stringConcat follow SWRL §8: the first argument is the result (bound or not).
///   Numbers compare by value across xsd:integer / decimal / double; strings by code point.
/// Arguments: `?variables`, `<absolute IRIs>`, `prefix:names`, bare names (default namespace), literals
/// `"text"`, `"text"@en`, `"5"^^xsd:int`, numbers (`17` xsd:integer, `1.5` xsd:decimal, `1e3` xsd:double),
/// and `true` / `false` (xsd:boolean). `rdf`, `rdfs`, `owl`, `xsd`, `swrl`, `swrlb` are predeclared.
/// Every head and negated variable must be bound by a positive body atom (or a built-in's result argument).
///
/// **Extensions** (each small):
/// 1. *Variable predicates*: `?p(?s, ?o)` matches any triple; RDFS and OWL 2 RL need it (`rdfs:domain(?p, ?c) ^ ?p(?x, ?y)`).
/// 2. *Negation*: `not(A ^ B ...)` holds when the conjunction has no solution under the current bindings
///    (variables only inside `not` are existential). Programs are stratified; one that negates something
///    depending on itself is rejected with a `RuleProgramError` naming the cycle's rules.
/// 3. *Header*: `[id: r1, description: "...", severity: info|low|medium|high|critical, action: derive|flag|veto|require]`
///    before a rule (all keys optional; the id defaults to `file#line`). Actions: `derive` asserts the head;
///    `flag` and `veto` report the instantiated head as a firing without asserting it; `require` reports, for each
///    body match on the final closure, whether the instantiated head holds (`Firing.satisfied`).
///    Flag, veto and require rules run once, after every derive rule has reached its fixpoint.
/// 4. *`false` head*: `... -> false` marks an inconsistency (OWL 2 RL's `false` rules); matches are reported in
///    `Reasoner.inconsistencies` with their premises.
/// 5. *Domain built-ins*: a pack registers Swift functions, `registry.register("pack:peakNear") { args in ... }`
///    (a test over bound arguments) or `registry.registerFunction(...)` (computes the first argument);
///    rules call them by the registered name, with or without declaring the prefix.
///
/// Errors: syntax errors are `RuleSyntaxError` (file, line, column, message); unsafe variables, unregistered
/// built-ins and unstratifiable programs are `RuleProgramError` (rule ids, location, message).
public enum RuleLanguage {
    /// The file extension of rule files.
    public static let fileExtension = "rules"
}
