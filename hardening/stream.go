package hardening

// Entry is one entry of an audit stream. A stream holds, in input order,
// one entry per subject (Subject set, with its findings), per document or
// source that could not be read (Error set) and per document that was
// skipped (Skipped set); after the last of those comes one entry with Set
// set, whose findings are about the run as a whole (from a checker's
// Finish method, such as [Runner.Finish]) rather than about one subject.
//
// Exactly one of Subject, Error, Skipped and Set is set. Within one
// document the order is its subjects, then its errors, then its skipped
// parts. A consumer that keeps an entry's findings past its callback must
// copy them (appending them to a slice of its own does): the stream may
// reuse their backing array.
type Entry struct {
	Subject  *Subject
	Findings []Finding
	Error    *DocumentError
	Skipped  *Skipped
	// Set marks the last entry of a stream, whose Findings are about the
	// whole run. It comes even when there are none.
	Set bool
}

// Summary counts what an audit stream held. Add counts one entry; the
// streaming entry points fill it in as they go.
type Summary struct {
	// Documents is the number of documents read (in a List, the List is
	// one), plus one per image.
	Documents int
	Subjects  int
	// Findings counts every finding, suppressed ones and warnings
	// included.
	Findings   int
	Suppressed int
	Warnings   int
	// Counted is the number of findings that count toward a verdict:
	// neither suppressed nor warnings. Highest is their highest severity.
	Counted int
	Highest Severity
	Errors  int
	Skipped int
	// ClusterObjects and ClusterBytes describe the run's [Cluster]: the
	// objects kept, and about how many bytes of memory they take.
	ClusterObjects int
	ClusterBytes   int64
}

// Add counts e.
func (s *Summary) Add(e *Entry) {
	switch {
	case e == nil:
		return
	case e.Subject != nil:
		s.Subjects++
	case e.Error != nil:
		s.Errors++
	case e.Skipped != nil:
		s.Skipped++
	}
	for i := range e.Findings {
		f := &e.Findings[i]
		s.Findings++
		switch {
		case f.Warning:
			s.Warnings++
		case f.Suppressed:
			s.Suppressed++
		default:
			if s.Counted == 0 || f.Severity > s.Highest {
				s.Highest = f.Severity
			}
			s.Counted++
		}
	}
}

// Failed reports whether a finding counted at or above min (see
// [Finding.Counts]), as [Result.Failed] does.
func (s *Summary) Failed(min Severity) bool { return s.Counted > 0 && s.Highest >= min }

// ExitCode is the exit code a CI command gives for the stream, as
// [Result.ExitCode] does: 2 when an input could not be read, 1 when a
// finding counts at or above min, 0 otherwise.
func (s *Summary) ExitCode(min Severity) int {
	switch {
	case s.Errors > 0:
		return 2
	case s.Failed(min):
		return 1
	}
	return 0
}

// Collect returns a function that appends each entry of a stream to r:
// subjects to r.Subjects, errors to r.Errors, skipped documents to
// r.Skipped, and every finding to r.Findings, so that a stream collected
// into a Result is the Result the non-streaming entry points return.
func Collect(r *Result) func(*Entry) error {
	return func(e *Entry) error {
		switch {
		case e.Subject != nil:
			r.Subjects = append(r.Subjects, e.Subject)
		case e.Error != nil:
			r.Errors = append(r.Errors, e.Error)
		case e.Skipped != nil:
			r.Skipped = append(r.Skipped, *e.Skipped)
		}
		r.Findings = append(r.Findings, e.Findings...)
		return nil
	}
}
