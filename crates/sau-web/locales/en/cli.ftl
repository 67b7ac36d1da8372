# The command line's messages (`sau …`), in the language of the console
# (LC_ALL, LC_MESSAGES or LANG; Spanish unless it names English).
cli-migrated = Migrations applied ({ $backend }).
cli-user-created = Created user { $login } (id { $id }).
cli-roles-updated = Roles of { $login } updated.
cli-password-updated = Password of { $login } updated.
cli-user-deactivated = { $login } deactivated.
cli-department-created = Created department { $code } (id { $id }).
cli-attachment-missing = missing
cli-attachment-damaged = damaged
cli-attachments-checked = { $attachments } attachments, { $blobs } files read: { $missing } missing, { $damaged } damaged ({ $dir }).
cli-attachments-collected = { $blobs } unused files and { $unfinished } unfinished uploads deleted from { $dir }.
cli-demo-requests = { $count } demo requests created.
cli-listening = SAU listening on { $url }
cli-database = Database: { $url } ({ $backend })
cli-demo-users = Demo users (password = login):
