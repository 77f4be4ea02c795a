-- Preview Operator database contract, part 1: roles, the auth.uid() shim, the private schema.
--
-- Applies to vanilla PostgreSQL 15+ and to Supabase (where the roles and the auth schema
-- already exist). Every statement is idempotent; nothing here touches user data.

-- Roles: created only when missing (Supabase already has anon, authenticated, service_role).
do $$
declare
  r text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role', 'preview_operator'] loop
    if not exists (select from pg_catalog.pg_roles where rolname = r) then
      begin
        execute format('create role %I nologin', r);
      exception when duplicate_object then
        null; -- another session created it concurrently
      end;
    end if;
  end loop;
end
$$;

-- The auth schema and auth.uid()/auth.role()/auth.jwt(): created only when missing, with
-- Supabase's own definitions, so a Supabase project keeps its functions untouched.
create schema if not exists auth;

do $$
begin
  if to_regprocedure('auth.uid()') is null then
    create function auth.uid() returns uuid
      language sql stable
      as $f$
        select coalesce(
          nullif(current_setting('request.jwt.claim.sub', true), ''),
          (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
        )::uuid
      $f$;
    comment on function auth.uid() is
      'Preview Operator shim of Supabase''s auth.uid(): the sub claim of request.jwt.claims.';
  end if;
  if to_regprocedure('auth.role()') is null then
    create function auth.role() returns text
      language sql stable
      as $f$
        select coalesce(
          nullif(current_setting('request.jwt.claim.role', true), ''),
          (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
        )::text
      $f$;
  end if;
  if to_regprocedure('auth.jwt()') is null then
    create function auth.jwt() returns jsonb
      language sql stable
      as $f$
        select coalesce(
          nullif(current_setting('request.jwt.claim', true), ''),
          nullif(current_setting('request.jwt.claims', true), '')
        )::jsonb
      $f$;
  end if;
end
$$;

grant usage on schema auth to anon, authenticated, service_role, preview_operator;
grant execute on function auth.uid() to anon, authenticated, service_role, preview_operator;
grant execute on function auth.role() to anon, authenticated, service_role, preview_operator;
grant execute on function auth.jwt() to anon, authenticated, service_role, preview_operator;

-- Internal helpers and settings live outside the API schema (PostgREST exposes only public).
create schema if not exists preview_private;
revoke all on schema preview_private from public;
