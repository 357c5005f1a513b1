/** A name as a file name in the run folder: letters, digits and . _ + # @ - kept, anything else (a '/', a space) becomes '_'. */
export function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._+#@-]/g, '_');
}
