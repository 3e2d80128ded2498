import { Layout } from "./layout.js";

/** A page that only says something (an error, or "return to your terminal"). */
export function MessagePage(props: { title: string; message: string }) {
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      <p class="muted">{props.message}</p>
    </Layout>
  );
}
