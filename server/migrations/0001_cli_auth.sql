CREATE TABLE "audit_log" (
	"id" text PRIMARY KEY NOT NULL,
	"action" text NOT NULL,
	"user_id" text,
	"target_id" text,
	"ip_address" text,
	"user_agent" text,
	"metadata" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cli_device_code" (
	"id" text PRIMARY KEY NOT NULL,
	"device_code_hash" text NOT NULL,
	"user_code_hash" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"device_name" text NOT NULL,
	"device_os" text NOT NULL,
	"device_arch" text NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"user_id" text,
	"token_id" text,
	"interval_ms" integer NOT NULL,
	"last_polled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"claimed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "cli_token" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"device_name" text,
	"device_os" text,
	"device_arch" text,
	"ip_address" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rate_limit" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cli_device_code" ADD CONSTRAINT "cli_device_code_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cli_device_code" ADD CONSTRAINT "cli_device_code_token_id_cli_token_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."cli_token"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cli_token" ADD CONSTRAINT "cli_token_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_user_id_created_at_idx" ON "audit_log" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cli_device_code_device_code_hash_idx" ON "cli_device_code" USING btree ("device_code_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "cli_device_code_user_code_hash_idx" ON "cli_device_code" USING btree ("user_code_hash");--> statement-breakpoint
CREATE INDEX "cli_device_code_expires_at_idx" ON "cli_device_code" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cli_token_token_hash_idx" ON "cli_token" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "cli_token_user_kind_idx" ON "cli_token" USING btree ("user_id","kind");