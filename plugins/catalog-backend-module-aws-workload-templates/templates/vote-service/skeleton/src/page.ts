/** The voting page: one button per option, counts refreshed every two seconds. */
export function page(options: string[]): string {
  const buttons = options
    .map(
      o =>
        `<button type="button" data-option="${o}">${o} <output data-count="${o}">0</output></button>`,
    )
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Vote</title>
    <style>
      body { font-family: system-ui, sans-serif; display: grid; place-items: center; min-height: 90vh; }
      button { font-size: 1.5rem; margin: 0.5rem; padding: 1rem 2rem; cursor: pointer; }
    </style>
  </head>
  <body>
    <main>
      <h1>Vote</h1>
      ${buttons}
    </main>
    <script>
      async function refresh() {
        const counts = await (await fetch('/vote')).json();
        for (const [option, count] of Object.entries(counts)) {
          const out = document.querySelector('[data-count="' + option + '"]');
          if (out) out.textContent = count;
        }
      }
      for (const button of document.querySelectorAll('[data-option]')) {
        button.addEventListener('click', async () => {
          await fetch('/vote', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ vote: button.dataset.option }),
          });
          refresh();
        });
      }
      refresh();
      setInterval(refresh, 2000);
    </script>
  </body>
</html>
`;
}
