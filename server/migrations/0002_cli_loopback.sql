CREATE TABLE "cli_loopback_code" (
	"id" text PRIMARY KEY NOT NULL,
	"code_hash" text NOT NULL,
	"user_id" text NOT NULL,
	"code_challenge" text NOT NULL,
	"redirect_uri" text NOT NULL,
	"device_name" text NOT NULL,
	"device_os" text NOT NULL,
	"device_arch" text NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "cli_loopback_code" ADD CONSTRAINT "cli_loopback_code_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cli_loopback_code_code_hash_idx" ON "cli_loopback_code" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "cli_loopback_code_expires_at_idx" ON "cli_loopback_code" USING btree ("expires_at");