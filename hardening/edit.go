package hardening

// Edit is one change a check's fix ([Check.Fix]) makes to the source
// document of a subject: set the value at a field path, or delete it. The
// fix package applies edits to the user's own file (YAML or JSON), changing
// only the lines of the fields edited; hardening only describes them.
type Edit struct {
	// Path is a field path into the source document, in the form of
	// [Finding.Path]: "spec.containers[1].securityContext.runAsNonRoot",
	// "metadata.annotations[container.apparmor.security.beta.kubernetes.io/web]",
	// "process.noNewPrivileges". Missing mappings on the way are created.
	// An index one past the end of a list ("linux.maskedPaths[12]")
	// appends to it.
	Path string `json:"path"`
	// Value is what Path is set to, as encoding/json would marshal it:
	// bool, int64, string, []string, map[string]any, or a struct of the
	// runtime spec. Setting a list or a mapping makes the field equal to
	// it: entries it lacks are deleted, entries it adds are appended, and
	// entries already there keep their lines.
	Value any `json:"value,omitempty"`
	// Delete removes the field (or the list item) at Path instead; Value
	// is ignored.
	Delete bool `json:"delete,omitempty"`
	// Note says what a reviewer of the change should know ("the program
	// must not write outside its volumes"); empty when nothing.
	Note string `json:"note,omitempty"`
}

// FixDefaultUID is the uid fixes set where a container must run as
// non-root and nothing says which uid it runs as: 65532, the "nonroot"
// user of distroless images, above the ranges of system and login
// accounts.
const FixDefaultUID = 65532
