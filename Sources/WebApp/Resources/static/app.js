// Progressive enhancement only: every page works without it.
// Shows times in the reader's own time zone.
for (const node of document.querySelectorAll("time[datetime]")) {
  const date = new Date(node.getAttribute("datetime"));
  if (!Number.isNaN(date.getTime())) node.textContent = date.toLocaleString();
}
