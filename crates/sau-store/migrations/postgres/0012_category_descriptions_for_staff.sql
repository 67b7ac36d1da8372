-- The default categories' descriptions speak to the people who read them on the
-- request form, not in the manual's clause numbers ("(5.1.1)"). Only a description
-- still as installed changes; one an administrator rewrote stays theirs.
UPDATE categories SET description_es = 'Su computadora, impresora, escáner u otro equipo falla o necesita revisión.' WHERE description_es = 'Computadoras, impresoras, escáneres y otros equipos (5.1.1).';
UPDATE categories SET description_en = 'Your computer, printer, scanner or other equipment fails or needs a check.' WHERE description_en = 'Computers, printers, scanners and other equipment (5.1.1).';
UPDATE categories SET description_es = 'Extensiones nuevas, aparatos que fallan, traslados y desvíos de llamadas.' WHERE description_es = 'Cualquier tarea sobre telefonía: extensiones, aparatos, desvíos (5.1.2).';
UPDATE categories SET description_en = 'New extensions, faulty handsets, moves and call forwarding.' WHERE description_en = 'Any telephony task: extensions, handsets, forwarding (5.1.2).';
UPDATE categories SET description_es = 'Una cuenta nueva en cualquier sistema, para usted o para quien empieza a trabajar.' WHERE description_es = 'Crear un usuario en cualquier sistema (5.1.3).';
UPDATE categories SET description_en = 'A new account in any system, for you or for someone starting work.' WHERE description_en = 'Create an account in any system (5.1.3).';
UPDATE categories SET description_es = 'Olvidó su clave de un sistema o quedó bloqueado.' WHERE description_es = 'Reiniciar la clave de acceso de un sistema (5.1.4).';
UPDATE categories SET description_en = 'You forgot a system''s password or are locked out.' WHERE description_en = 'Reset the password of a system (5.1.4).';
UPDATE categories SET description_es = 'Un pedido que va con un oficio u otro documento firmado: adjúntelo escaneado.' WHERE description_es = 'Requerimientos con documentos de soporte escaneados (5.1.5).';
UPDATE categories SET description_en = 'A request that comes with a signed letter or other document: attach it scanned.' WHERE description_en = 'Requirements with scanned supporting documents (5.1.5).';
