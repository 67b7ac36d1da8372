# The command line's messages (`sau …`), in the language of the console
# (LC_ALL, LC_MESSAGES or LANG; Spanish unless it names English).
cli-migrated = Migraciones aplicadas ({ $backend }).
cli-user-created = Usuario { $login } creado (id { $id }).
cli-roles-updated = Roles de { $login } actualizados.
cli-password-updated = Contraseña de { $login } actualizada.
cli-user-deactivated = { $login } desactivado.
cli-department-created = Dependencia { $code } creada (id { $id }).
cli-attachment-missing = falta
cli-attachment-damaged = dañado
cli-attachments-checked = { $attachments } adjuntos, { $blobs } archivos leídos: { $missing } faltan, { $damaged } dañados ({ $dir }).
cli-attachments-collected = { $blobs } archivos sin uso y { $unfinished } subidas inconclusas borrados de { $dir }.
cli-demo-requests = { $count } solicitudes de demostración creadas.
cli-listening = SAU escuchando en { $url }
cli-database = Base de datos: { $url } ({ $backend })
cli-demo-users = Usuarios de demostración (contraseña = usuario):
