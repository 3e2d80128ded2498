// The inputs several forms share, so a rule about one (length, autocomplete) is kept in one place.

/** An email address field (`name="email"`): `autocomplete` says whether it names the account or a new one. */
export function EmailField(props: {
  label: string;
  value?: string | undefined;
  autocomplete: "username" | "email";
  autofocus?: boolean;
}) {
  return (
    <div class="field">
      <label for="email">{props.label}</label>
      <input
        id="email"
        name="email"
        type="email"
        autocomplete={props.autocomplete}
        required
        value={props.value ?? ""}
        autofocus={props.autofocus}
      />
    </div>
  );
}

/** A new password (`name="password"`): 8 to 128 characters, with the rule under it as a hint. */
export function NewPasswordField(props: { id: string; label: string; hint: string; autofocus?: boolean }) {
  const hintId = `${props.id}-hint`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name="password"
        type="password"
        autocomplete="new-password"
        minlength={8}
        maxlength={128}
        required
        autofocus={props.autofocus}
        aria-describedby={hintId}
      />
      <p class="hint" id={hintId}>
        {props.hint}
      </p>
    </div>
  );
}
