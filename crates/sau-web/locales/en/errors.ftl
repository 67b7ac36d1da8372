# Messages for error codes, the same for the API and the pages.

error-unauthenticated = Sign-in or a valid token is required.
error-bad-credentials = Wrong login or password.
error-forbidden = You are not allowed to do this.
error-not-allowed = You are not allowed to do this.
error-not-found = Not found.
error-invalid-transition = This action is not possible in the ticket's current state.
error-reopen-window-expired = The time to reopen this ticket has passed.
error-not-a-technician = The person named is not an active technician.
error-stale-version = The ticket changed while you were viewing it; check its current state and try again.
error-invalid-input = The request has invalid data.
error-duplicate = A record with that identifier already exists.
error-malformed-json = The request body is not valid JSON.
error-unsupported-media-type = The body must be sent as application/json.
error-payload-too-large = The request exceeds the maximum size allowed.
error-bad-request = The request is not valid.
error-upload-interrupted = The upload arrived incomplete or malformed; please try again.
error-body-too-slow = The upload arrived too slowly and was cut off; try again (for large files, use multipart).
error-busy = The server is receiving other large uploads; try again in a few seconds.
error-too-many-attempts = Too many failed attempts. Wait a few minutes and try again.
error-method-not-allowed = This resource does not accept that method.
error-other = Something went wrong.

# One field's problem.
problem-required = Is required.
problem-unknown = Does not exist.
problem-too-long = Is too long.
problem-not-a-number = Must be a number.
problem-not-a-text = Must be a valid text.
problem-not-a-date = Must be a date YYYY-MM-DD.
problem-not-an-option = Is not one of the options.
problem-out-of-range = Is out of the allowed range.
problem-too-many = The list is full: remove one before adding another.
problem-low-contrast = Too light: it would not read as text on the page, nor under white text (at least 4.5:1). Pick a darker colour.
problem-not-hours = Must be ranges HH:MM-HH:MM separated by commas, in order and not overlapping (empty: a day off; 24:00 is midnight).
problem-not-a-holiday = Each line: a date (MM-DD every year, YYYY-MM-DD once, or Easter-3, Easter+1… from Easter Sunday), an optional time from which the day is off, and the name.
problem-unchanged = That is what it already is: nothing to correct.
problem-in-use = It is in use: take it off where it is used first.
problem-other = Is invalid.

# Refused files.
refusal-file-too-large = The file “{ $file }” is over the limit of { $limit } per file.
refusal-request-too-large = The files are over the limit of { $limit } per request.
refusal-too-many-files = At most { $limit } files per request are accepted.
refusal-unsupported-type = The file “{ $file }” is not of an accepted type. Accepted: { $allowed }.
refusal-empty = The file “{ $file }” is empty.
kind-text = text (TXT)
